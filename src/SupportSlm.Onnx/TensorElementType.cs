namespace SupportSlm.Onnx;

/// <summary>Tensor element types; numbers are ONNX TensorProto.DataType, which ORT's ONNXTensorElementDataType reuses.</summary>
public enum TensorElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
}

/// <summary>Kinds of ONNX values (ORT's ONNXType).</summary>
public enum OnnxValueType
{
    Unknown = 0,
    Tensor = 1,
    Sequence = 2,
    Map = 3,
    Opaque = 4,
    SparseTensor = 5,
    Optional = 6,
}

/// <summary>Maps a CLR element type to its ONNX element type once per type.</summary>
public static class TensorElementTypes
{
    public static TensorElementType Of<T>() where T : unmanaged => Cache<T>.Value;

    /// <summary>Size in bytes of one element (0 for strings and unknown types).</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.UInt16 or TensorElementType.Int16 or TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        _ => 0,
    };

    private static class Cache<T> where T : unmanaged
    {
        public static readonly TensorElementType Value = default(T) switch
        {
            float => TensorElementType.Float,
            Half => TensorElementType.Float16,
            BFloat16 => TensorElementType.BFloat16,
            double => TensorElementType.Double,
            long => TensorElementType.Int64,
            int => TensorElementType.Int32,
            short => TensorElementType.Int16,
            sbyte => TensorElementType.Int8,
            byte => TensorElementType.UInt8,
            ulong => TensorElementType.UInt64,
            uint => TensorElementType.UInt32,
            ushort => TensorElementType.UInt16,
            bool => TensorElementType.Bool,
            _ => TensorElementType.Undefined,
        };
    }
}
