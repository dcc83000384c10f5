using System.Runtime.InteropServices;

namespace SupportSlm.Onnx.Adapters;

/// <summary>One tensor of a LoRA adapter. <see cref="Name"/> must equal a graph input of the model it is applied to.</summary>
public sealed record OnnxAdapterParameter(string Name, IReadOnlyList<long> Dims, TensorElementType DataType, byte[] RawData)
{
    public static OnnxAdapterParameter Create<T>(string name, ReadOnlySpan<T> data, params long[] dims) where T : unmanaged
    {
        var type = TensorElementTypes.Of<T>();
        if (type == TensorElementType.Undefined)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented, $"{typeof(T).Name} is not an ONNX tensor element type.");
        }

        if (OrtValue.ElementCount(dims) != data.Length)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"Adapter parameter '{name}': dims [{string.Join(", ", dims)}] do not hold {data.Length} elements.");
        }

        return new OnnxAdapterParameter(name, dims, type, MemoryMarshal.AsBytes(data).ToArray());
    }

    public T[] ToArray<T>() where T : unmanaged => TensorElementTypes.Of<T>() == DataType
        ? MemoryMarshal.Cast<byte, T>(RawData).ToArray()
        : throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"Adapter parameter '{Name}' holds {DataType}, not {typeof(T).Name}.");
}

/// <summary>The content of an ORT .onnx_adapter file.</summary>
public sealed record OnnxAdapter(IReadOnlyList<OnnxAdapterParameter> Parameters, int AdapterVersion = 1, int ModelVersion = 1);
