using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Google.Protobuf;
using SupportSlm.Onnx.Protobuf;

namespace SupportSlm.Onnx.Model;

/// <summary>Builds TensorProtos (little-endian raw_data, the compact form ORT prefers) and reads them back.</summary>
public static class OnnxTensors
{
    /// <summary>A tensor of any fixed-size element type (float, Half, BFloat16, sbyte, byte, int, long, bool, ...).</summary>
    public static TensorProto Create<T>(string name, ReadOnlySpan<T> data, ReadOnlySpan<long> dims) where T : unmanaged
    {
        var type = TensorElementTypes.Of<T>();
        if (type == TensorElementType.Undefined)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented, $"{typeof(T).Name} is not an ONNX tensor element type.");
        }

        var count = OrtValue.ElementCount(dims);
        if (count != data.Length)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"Tensor '{name}': dims [{string.Join(", ", dims.ToArray())}] hold {count} elements but {data.Length} were given.");
        }

        EnsureLittleEndian();
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)) };
        tensor.Dims.AddRange(dims.ToArray());
        return tensor;
    }

    public static TensorElementType ElementType(TensorProto tensor) => (TensorElementType)tensor.DataType;

    public static long[] Dims(TensorProto tensor) => [.. tensor.Dims];

    /// <summary>The elements of <paramref name="tensor"/> as <typeparamref name="T"/>, from raw_data or the typed fields
    /// (float_data, int64_data, int32_data which ONNX also uses for 8/16-bit types). External data is not resolved.</summary>
    public static T[] ToArray<T>(TensorProto tensor) where T : unmanaged
    {
        var expected = TensorElementTypes.Of<T>();
        if (ElementType(tensor) != expected)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"Tensor '{tensor.Name}' holds {ElementType(tensor)} elements, not {typeof(T).Name}.");
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented,
                $"Tensor '{tensor.Name}' keeps its data in an external file; load it with ONNX Runtime instead.");
        }

        EnsureLittleEndian();
        var count = checked((int)OrtValue.ElementCount(Dims(tensor)));
        if (tensor.HasRawData)
        {
            var raw = tensor.RawData.Span;
            if (raw.Length != count * Unsafe.SizeOf<T>())
            {
                throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf,
                    $"Tensor '{tensor.Name}' has {raw.Length} bytes of raw_data; its dims need {count * Unsafe.SizeOf<T>()}.");
            }

            return MemoryMarshal.Cast<byte, T>(raw).ToArray();
        }

        return expected switch
        {
            TensorElementType.Float => FromTyped<float, T>(tensor.FloatData, count),
            TensorElementType.Int64 => FromTyped<long, T>(tensor.Int64Data, count),
            TensorElementType.Double => FromTyped<double, T>(tensor.DoubleData, count),
            TensorElementType.UInt64 or TensorElementType.UInt32 => Narrow<T>(tensor.Uint64Data.Select(v => (long)v).ToArray(), count),
            _ => Narrow<T>(tensor.Int32Data.Select(v => (long)v).ToArray(), count),
        };
    }

    private static TTarget[] FromTyped<TSource, TTarget>(IList<TSource> source, int count) where TSource : unmanaged where TTarget : unmanaged
    {
        if (source.Count != count)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, $"Tensor has {source.Count} values; its dims need {count}.");
        }

        return MemoryMarshal.Cast<TSource, TTarget>(source.ToArray()).ToArray();
    }

    /// <summary>int32_data / uint64_data carry narrower types widened per element; narrow them bit-exactly.</summary>
    private static T[] Narrow<T>(long[] source, int count) where T : unmanaged
    {
        if (source.Length != count)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, $"Tensor has {source.Length} values; its dims need {count}.");
        }

        var result = new T[count];
        var size = Unsafe.SizeOf<T>();
        var bytes = MemoryMarshal.AsBytes(result.AsSpan());
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            for (var b = 0; b < size; b++)
            {
                bytes[i * size + b] = (byte)(value >> (8 * b));
            }
        }

        return result;
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented, "ONNX raw_data is little-endian; big-endian hosts are not supported.");
        }
    }
}
