using System.Runtime.InteropServices;
using SupportSlm.Onnx.Native;

namespace SupportSlm.Onnx;

/// <summary>
/// An ONNX Runtime value (in practice: a CPU tensor). Created over pinned managed memory without copying
/// (<see cref="CreateTensor{T}(Memory{T}, ReadOnlySpan{long})"/>), allocated by ORT (<see cref="AllocateTensor"/>),
/// or returned by <see cref="InferenceSession.Run(ReadOnlySpan{string}, ReadOnlySpan{OrtValue}, ReadOnlySpan{string}, RunOptions?)"/>.
/// Reading type, shape and data is thread-safe; writing data while a Run reads it is the caller's race.
/// </summary>
public sealed unsafe class OrtValue : IDisposable
{
    // Type and shape never change; read once and published as one object so concurrent readers never see half of it.
    private TensorLayout? layout;

    private sealed record TensorLayout(TensorElementType Type, long[] Shape);

    internal OrtValue(ValueHandle handle) => Handle = handle;

    internal ValueHandle Handle { get; }

    /// <summary>A tensor over <paramref name="data"/> (pinned, not copied) until this value is disposed.
    /// Supported: float, Half, BFloat16, double, long, int, short, sbyte, byte, ulong, uint, ushort, bool.</summary>
    public static OrtValue CreateTensor<T>(Memory<T> data, ReadOnlySpan<long> shape) where T : unmanaged
    {
        var type = RequireSupported<T>();
        var count = ElementCount(shape);
        if (count != data.Length)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"Shape [{string.Join(", ", shape.ToArray())}] holds {count} elements but the buffer has {data.Length}.");
        }

        var api = OnnxRuntime.Api;
        var runtime = OnnxRuntime.Current;
        var handle = new ValueHandle();
        var pin = data.Pin();
        nint value;
        nint status;
        fixed (long* shapePtr = shape)
        {
            status = api.CreateTensorWithDataAsOrtValue(runtime.CpuMemoryInfo, pin.Pointer, (nuint)(data.Length * sizeof(T)),
                shapePtr, (nuint)shape.Length, (int)type, &value);
        }

        if (status != 0)
        {
            pin.Dispose();
            throw api.ToException(status);
        }

        handle.Adopt(value);
        handle.KeepPinned(pin);
        return new OrtValue(handle) { layout = new TensorLayout(type, shape.ToArray()) };
    }

    /// <inheritdoc cref="CreateTensor{T}(Memory{T}, ReadOnlySpan{long})"/>
    public static OrtValue CreateTensor<T>(T[] data, params ReadOnlySpan<long> shape) where T : unmanaged
        => CreateTensor(data.AsMemory(), shape);

    /// <summary>A tensor whose memory ORT allocates (uninitialized); fill it through <see cref="GetTensorMutableData{T}"/>.</summary>
    public static OrtValue AllocateTensor(TensorElementType type, params ReadOnlySpan<long> shape)
    {
        if (TensorElementTypes.SizeOf(type) == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented, $"Element type {type} is not supported by this binding.");
        }

        ElementCount(shape);
        var api = OnnxRuntime.Api;
        var handle = new ValueHandle();
        nint value;
        fixed (long* shapePtr = shape)
        {
            api.Check(api.CreateTensorAsOrtValue(OnnxRuntime.Current.Allocator, shapePtr, (nuint)shape.Length, (int)type, &value));
        }

        handle.Adopt(value);
        return new OrtValue(handle) { layout = new TensorLayout(type, shape.ToArray()) };
    }

    public OnnxValueType ValueType
    {
        get
        {
            var api = OnnxRuntime.Api;
            var raw = Handle.Enter(nameof(OrtValue));
            try
            {
                int type;
                api.Check(api.GetValueType(raw, &type));
                return (OnnxValueType)type;
            }
            finally
            {
                Handle.Exit();
            }
        }
    }

    public TensorElementType ElementType
    {
        get => Layout.Type;
    }

    /// <summary>The tensor's dimensions (a copy).</summary>
    public long[] GetShape() => (long[])Layout.Shape.Clone();

    public long ElementCount() => ElementCount(Layout.Shape);

    /// <summary>The tensor's elements, valid while this value is alive. <typeparamref name="T"/> must match <see cref="ElementType"/>.</summary>
    public ReadOnlySpan<T> GetTensorData<T>() where T : unmanaged => GetTensorMutableData<T>();

    /// <inheritdoc cref="GetTensorData{T}"/>
    public Span<T> GetTensorMutableData<T>() where T : unmanaged
    {
        var requested = RequireSupported<T>();
        var tensor = Layout;
        if (requested != tensor.Type)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"The tensor holds {tensor.Type} elements; it cannot be read as {typeof(T).Name} ({requested}).");
        }

        var count = checked((int)ElementCount(tensor.Shape));
        var api = OnnxRuntime.Api;
        var raw = Handle.Enter(nameof(OrtValue));
        try
        {
            void* data;
            api.Check(api.GetTensorMutableData(raw, &data));
            return count == 0 ? Span<T>.Empty : new Span<T>(data, count);
        }
        finally
        {
            Handle.Exit();
        }
    }

    /// <summary>A managed copy of the tensor's elements.</summary>
    public T[] ToArray<T>() where T : unmanaged => GetTensorData<T>().ToArray();

    public void Dispose() => Handle.Dispose();

    internal static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                    $"Shape [{string.Join(", ", shape.ToArray())}] has a negative dimension; concrete tensors need sizes ≥ 0.");
            }

            count = checked(count * dim);
        }

        return count;
    }

    private static TensorElementType RequireSupported<T>() where T : unmanaged
    {
        var type = TensorElementTypes.Of<T>();
        return type != TensorElementType.Undefined
            ? type
            : throw new OnnxRuntimeException(OrtErrorCode.NotImplemented, $"{typeof(T).Name} is not a supported tensor element type.");
    }

    private TensorLayout Layout => layout ??= ReadLayout();

    private TensorLayout ReadLayout()
    {
        var api = OnnxRuntime.Api;
        var raw = Handle.Enter(nameof(OrtValue));
        try
        {
            int onnxType;
            api.Check(api.GetValueType(raw, &onnxType));
            if (onnxType != (int)OnnxValueType.Tensor)
            {
                throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"The value is a {(OnnxValueType)onnxType}, not a tensor.");
            }

            nint info;
            api.Check(api.GetTensorTypeAndShape(raw, &info));
            using var infoHandle = new TensorTypeAndShapeHandle();
            infoHandle.Adopt(info);
            var (type, dims, _) = TensorInfoReader.Read(api, info, readSymbols: false);
            return new TensorLayout(type, dims);
        }
        finally
        {
            Handle.Exit();
        }
    }
}

/// <summary>Reads element type, dimensions and symbolic dimension names from an OrtTensorTypeAndShapeInfo.</summary>
internal static unsafe class TensorInfoReader
{
    public static (TensorElementType Type, long[] Dims, string?[] Symbols) Read(OrtApi api, nint info, bool readSymbols)
    {
        int type;
        nuint rank;
        api.Check(api.GetTensorElementType(info, &type));
        api.Check(api.GetDimensionsCount(info, &rank));
        var dims = new long[(int)rank];
        var symbols = new string?[(int)rank];
        fixed (long* dimsPtr = dims)
        {
            api.Check(api.GetDimensions(info, dimsPtr, rank));
        }

        if (readSymbols && rank > 0)
        {
            var names = stackalloc byte*[(int)rank];
            api.Check(api.GetSymbolicDimensions(info, names, rank));
            for (var i = 0; i < (int)rank; i++)
            {
                var symbol = Marshal.PtrToStringUTF8((nint)names[i]);
                symbols[i] = string.IsNullOrEmpty(symbol) ? null : symbol;
            }
        }

        return ((TensorElementType)type, dims, symbols);
    }
}
