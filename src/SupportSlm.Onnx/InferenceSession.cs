using System.Runtime.InteropServices;
using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx;

/// <summary>
/// A loaded ONNX model. Concurrency: ORT allows concurrent <c>Run</c> calls on one session, and so does this class
/// (inputs, outputs and run options must not be shared with a concurrent writer). <see cref="Dispose"/> may race with
/// runs safely: the native session is released when the last running call returns.
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private InferenceSession(SessionHandle handle)
    {
        Handle = handle;
        var api = OnnxRuntime.Api;
        Inputs = ReadNodes(api, handle.DangerousGetHandle(), isInput: true);
        Outputs = ReadNodes(api, handle.DangerousGetHandle(), isInput: false);
        foreach (var node in Inputs.Concat(Outputs))
        {
            handle.NativeNames.TryAdd(node.Name, Marshal.StringToCoTaskMemUTF8(node.Name));
        }
    }

    internal SessionHandle Handle { get; }

    /// <summary>Graph inputs ORT requires or accepts (excludes inputs that only exist to override an initializer).</summary>
    public IReadOnlyList<NodeInfo> Inputs { get; }

    public IReadOnlyList<NodeInfo> Outputs { get; }

    public IReadOnlyList<string> OutputNames => Outputs.Select(o => o.Name).ToArray();

    public static InferenceSession FromFile(string modelPath, SessionOptions? options = null)
    {
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, $"Model file '{fullPath}' does not exist.");
        }

        var path = SessionOptions.Utf8Z(fullPath);
        return Create(options, (api, env, nativeOptions, session) =>
        {
            fixed (byte* pathPtr = path)
            {
                return api.CreateSession(env, pathPtr, nativeOptions, session);
            }
        });
    }

    public static InferenceSession FromBytes(ReadOnlySpan<byte> model, SessionOptions? options = null)
    {
        fixed (byte* modelPtr = model)
        {
            var pointer = (nint)modelPtr;
            var length = (nuint)model.Length;
            return Create(options, (api, env, nativeOptions, session) =>
                api.CreateSessionFromArray(env, (void*)pointer, length, nativeOptions, session));
        }
    }

    /// <summary>Runs the model; ORT allocates the outputs, which the returned <see cref="RunResult"/> owns.</summary>
    public RunResult Run(ReadOnlySpan<string> inputNames, ReadOnlySpan<OrtValue> inputs, ReadOnlySpan<string> outputNames, RunOptions? options = null)
    {
        var outputs = new OrtValue[outputNames.Length];
        RunCore(inputNames, inputs, outputNames, outputs, preallocated: false, options);
        return new RunResult(outputNames.ToArray(), outputs);
    }

    /// <summary>Runs the model and returns every output.</summary>
    public RunResult Run(IReadOnlyDictionary<string, OrtValue> inputs, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var names = inputs.Keys.ToArray();
        var values = names.Select(n => inputs[n]).ToArray();
        return Run(names, values, OutputNames.ToArray(), options);
    }

    /// <summary>Runs the model writing into caller-allocated <paramref name="outputs"/> (shapes must match what the model produces).</summary>
    public void Run(ReadOnlySpan<string> inputNames, ReadOnlySpan<OrtValue> inputs, ReadOnlySpan<string> outputNames, ReadOnlySpan<OrtValue> outputs, RunOptions? options = null)
    {
        if (outputs.Length != outputNames.Length)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"{outputNames.Length} output names but {outputs.Length} output values.");
        }

        var slots = outputs.ToArray();
        RunCore(inputNames, inputs, outputNames, slots, preallocated: true, options);
    }

    /// <summary>An IO binding for <see cref="RunWithBinding"/>. Not thread-safe; use one binding per thread.</summary>
    public IoBinding CreateIoBinding() => new(this);

    /// <summary>Runs with pre-bound inputs/outputs. As in ORT, active LoRA adapters in <paramref name="options"/> are ignored here.</summary>
    public void RunWithBinding(IoBinding binding, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var api = OnnxRuntime.Api;
        var session = Handle.Enter(nameof(InferenceSession));
        var rawOptions = (nint)0;
        try
        {
            rawOptions = options?.Handle.Enter(nameof(RunOptions)) ?? 0;
            var rawBinding = binding.Handle.Enter(nameof(IoBinding));
            try
            {
                api.Check(api.RunWithBinding(session, rawOptions, rawBinding));
            }
            finally
            {
                binding.Handle.Exit();
            }
        }
        finally
        {
            if (rawOptions != 0)
            {
                options!.Handle.Exit();
            }

            Handle.Exit();
        }
    }

    public void Dispose() => Handle.Dispose();

    private delegate nint SessionFactory(OrtApi api, nint env, nint options, nint* session);

    private static InferenceSession Create(SessionOptions? options, SessionFactory factory)
    {
        var runtime = OnnxRuntime.Current;
        var api = runtime.Api;
        using var nativeOptions = (options ?? new SessionOptions()).CreateNative(api);
        var handle = new SessionHandle();
        nint raw;
        api.Check(factory(api, runtime.Env, nativeOptions.DangerousGetHandle(), &raw));
        handle.Adopt(raw);
        try
        {
            return new InferenceSession(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private void RunCore(ReadOnlySpan<string> inputNames, ReadOnlySpan<OrtValue> inputs, ReadOnlySpan<string> outputNames,
        OrtValue[] outputs, bool preallocated, RunOptions? options)
    {
        if (inputNames.Length != inputs.Length)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"{inputNames.Length} input names but {inputs.Length} input values.");
        }

        if (outputNames.Length == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, "Request at least one output.");
        }

        var api = OnnxRuntime.Api;
        int inCount = inputs.Length, outCount = outputNames.Length, total = 2 * (inCount + outCount);

        // One scratch block: input names | input values | output names | output values | temporary names to free.
        Span<nint> scratch = total <= 256 ? stackalloc nint[total + inCount + outCount] : new nint[total + inCount + outCount];
        scratch.Clear();
        var names = Handle.NativeNames;
        int enteredInputs = 0, enteredOutputs = 0, temporaryNames = 0;
        var optionsEntered = false;
        var session = Handle.Enter(nameof(InferenceSession));
        fixed (nint* block = scratch)
        {
            nint* inNames = block, inValues = block + inCount, outNames = inValues + inCount, outValues = outNames + outCount;
            nint* temporaries = outValues + outCount;
            try
            {
                for (; enteredInputs < inCount; enteredInputs++)
                {
                    var value = inputs[enteredInputs] ?? throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                        $"The value for input '{inputNames[enteredInputs]}' is null.");
                    inNames[enteredInputs] = NameOf(names, inputNames[enteredInputs], temporaries, ref temporaryNames);
                    inValues[enteredInputs] = value.Handle.Enter($"OrtValue for input '{inputNames[enteredInputs]}'");
                }

                for (; enteredOutputs < outCount; enteredOutputs++)
                {
                    outNames[enteredOutputs] = NameOf(names, outputNames[enteredOutputs], temporaries, ref temporaryNames);
                    if (preallocated)
                    {
                        var value = outputs[enteredOutputs] ?? throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                            $"The value for output '{outputNames[enteredOutputs]}' is null.");
                        outValues[enteredOutputs] = value.Handle.Enter($"OrtValue for output '{outputNames[enteredOutputs]}'");
                    }
                }

                var rawOptions = (nint)0;
                if (options is not null)
                {
                    rawOptions = options.Handle.Enter(nameof(RunOptions));
                    optionsEntered = true;
                }

                api.Check(api.Run(session, rawOptions, inNames, inValues, (nuint)inCount, outNames, (nuint)outCount, outValues));
                if (!preallocated)
                {
                    for (var i = 0; i < outCount; i++)
                    {
                        var handle = new ValueHandle();
                        handle.Adopt(outValues[i]);
                        outputs[i] = new OrtValue(handle);
                    }
                }
            }
            finally
            {
                for (var i = 0; i < enteredInputs; i++)
                {
                    inputs[i].Handle.Exit();
                }

                if (preallocated)
                {
                    for (var i = 0; i < enteredOutputs; i++)
                    {
                        outputs[i].Handle.Exit();
                    }
                }

                for (var i = 0; i < temporaryNames; i++)
                {
                    Marshal.FreeCoTaskMem(temporaries[i]);
                }

                if (optionsEntered)
                {
                    options!.Handle.Exit();
                }

                Handle.Exit();
            }
        }
    }

    /// <summary>Cached UTF-8 name for the model's own inputs/outputs; anything else (overridable initializers, wrong
    /// names that ORT will reject with its own message) is converted for this call only.</summary>
    private static nint NameOf(Dictionary<string, nint> names, string? name, nint* temporaries, ref int temporaryCount)
    {
        if (name is null)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, "Input and output names must not be null.");
        }

        if (names.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var converted = Marshal.StringToCoTaskMemUTF8(name);
        temporaries[temporaryCount++] = converted;
        return converted;
    }

    private static NodeInfo[] ReadNodes(OrtApi api, nint session, bool isInput)
    {
        nuint count;
        api.Check(isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        var allocator = OnnxRuntime.Current.Allocator;
        var nodes = new NodeInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            api.Check(isInput ? api.SessionGetInputName(session, i, allocator, &rawName) : api.SessionGetOutputName(session, i, allocator, &rawName));
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8((nint)rawName) ?? "";
            }
            finally
            {
                api.Check(api.AllocatorFree(allocator, rawName));
            }

            nint typeInfo;
            api.Check(isInput ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo));
            using var typeInfoHandle = new TypeInfoHandle();
            typeInfoHandle.Adopt(typeInfo);
            int valueType;
            api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &valueType));
            if (valueType == (int)OnnxValueType.Tensor)
            {
                nint tensorInfo; // owned by the type info
                api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                var (elementType, dims, symbols) = TensorInfoReader.Read(api, tensorInfo, readSymbols: true);
                nodes[(int)i] = new NodeInfo(name, OnnxValueType.Tensor, elementType, dims, symbols);
            }
            else
            {
                nodes[(int)i] = new NodeInfo(name, (OnnxValueType)valueType, TensorElementType.Undefined, [], []);
            }
        }

        return nodes;
    }
}
