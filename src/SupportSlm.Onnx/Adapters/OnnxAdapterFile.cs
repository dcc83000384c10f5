using System.Buffers.Binary;
using System.Text;

namespace SupportSlm.Onnx.Adapters;

/// <summary>
/// Writes and reads ONNX Runtime's LoRA adapter format (.onnx_adapter): a FlatBuffers buffer with file identifier
/// "TORT" at bytes 4..7 and root table Adapter { format_version:int (=1), adapter_version:int, model_version:int,
/// parameters:[Parameter] }, Parameter { name:string, dims:[int64], data_type:int32 (ONNX DataType),
/// raw_data:[uint8] (force_align 8) }. The writer lays the buffer out front to back (every offset points forward,
/// as FlatBuffers' unsigned offsets require) and aligns each int64/raw-data vector's payload to 8 bytes.
/// </summary>
public static class OnnxAdapterFile
{
    public const int FormatVersion = 1;
    public const string FileIdentifier = "TORT";

    private const string Regenerate = "Regenerate the adapter with the exporter that wrote it (SupportSlm's OnnxAdapterFile.Save).";

    public static byte[] Write(OnnxAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var writer = new ForwardWriter();
        writer.U32(0); // root offset, patched below
        writer.Bytes(Encoding.ASCII.GetBytes(FileIdentifier));

        var adapterTable = writer.Table(fieldCount: 4, tableSize: 20);
        writer.PatchU32(0, (uint)adapterTable);
        writer.PatchI32(adapterTable + 4, FormatVersion);
        writer.PatchI32(adapterTable + 8, adapter.AdapterVersion);
        writer.PatchI32(adapterTable + 12, adapter.ModelVersion);

        writer.Align(4);
        writer.PatchOffset(adapterTable + 16, writer.Position);
        writer.U32((uint)adapter.Parameters.Count);
        var slots = writer.Position;
        writer.Zero(4 * adapter.Parameters.Count);

        for (var i = 0; i < adapter.Parameters.Count; i++)
        {
            var parameter = adapter.Parameters[i];
            var table = writer.Table(fieldCount: 4, tableSize: 20);
            writer.PatchOffset(slots + 4 * i, table);
            writer.PatchI32(table + 12, (int)parameter.DataType);

            writer.Align(4);
            writer.PatchOffset(table + 4, writer.Position);
            var name = Encoding.UTF8.GetBytes(parameter.Name);
            writer.U32((uint)name.Length);
            writer.Bytes(name);
            writer.Bytes([0]);

            writer.AlignPayload(8);
            writer.PatchOffset(table + 8, writer.Position);
            writer.U32((uint)parameter.Dims.Count);
            foreach (var dim in parameter.Dims)
            {
                writer.I64(dim);
            }

            writer.AlignPayload(8);
            writer.PatchOffset(table + 16, writer.Position);
            writer.U32((uint)parameter.RawData.Length);
            writer.Bytes(parameter.RawData);
        }

        writer.Align(8);
        return writer.ToArray();
    }

    public static void Save(OnnxAdapter adapter, string path)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllBytes(fullPath + ".tmp", Write(adapter));
        File.Move(fullPath + ".tmp", fullPath, overwrite: true);
    }

    public static OnnxAdapter Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, $"Adapter file '{fullPath}' does not exist.");
        }

        try
        {
            return Read(File.ReadAllBytes(fullPath));
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxRuntimeException(e.Code, $"{fullPath}: {e.OrtMessage}", e);
        }
    }

    /// <summary>Parses an adapter, checking identifier, version and every offset against the buffer bounds.</summary>
    public static OnnxAdapter Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes.ToArray());
        if (bytes.Length < 8 || Encoding.ASCII.GetString(bytes.Slice(4, 4)) != FileIdentifier)
        {
            throw Invalid($"missing the '{FileIdentifier}' file identifier at bytes 4..7");
        }

        var root = reader.Deref(0);
        var version = reader.ScalarI32(root, 0, 0);
        if (version != FormatVersion)
        {
            throw Invalid($"format_version is {version}; only {FormatVersion} is supported");
        }

        var parameters = new List<OnnxAdapterParameter>();
        if (reader.Field(root, 3) is { } vectorField)
        {
            var vector = reader.Deref(vectorField);
            var count = reader.U32(vector);
            for (var i = 0; i < count; i++)
            {
                var table = reader.Deref(vector + 4 + 4 * i);
                var name = reader.Field(table, 0) is { } nameField ? reader.String(reader.Deref(nameField)) : "";
                var dims = reader.Field(table, 1) is { } dimsField ? reader.Int64s(reader.Deref(dimsField)) : [];
                var type = (TensorElementType)reader.ScalarI32(table, 2, 0);
                var raw = reader.Field(table, 3) is { } rawField ? reader.ByteVector(reader.Deref(rawField)) : [];
                parameters.Add(new OnnxAdapterParameter(name, dims, type, raw));
            }
        }

        return new OnnxAdapter(parameters, reader.ScalarI32(root, 1, 0), reader.ScalarI32(root, 2, 0));
    }

    private static OnnxRuntimeException Invalid(string why) =>
        new(OrtErrorCode.InvalidArgument, $"Not a valid .onnx_adapter file: {why}. {Regenerate}");

    /// <summary>Appends bytes front to back; tables are written as vtable-then-table so soffsets are positive.</summary>
    private sealed class ForwardWriter
    {
        private readonly MemoryStream buffer = new();

        public int Position => (int)buffer.Length;

        public void Bytes(ReadOnlySpan<byte> data) => buffer.Write(data);

        public void Zero(int count) => buffer.Write(new byte[count]);

        public void U32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            buffer.Write(b);
        }

        public void I64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            buffer.Write(b);
        }

        public void Align(int alignment) => Zero((alignment - Position % alignment) % alignment);

        /// <summary>Pads so that a vector's payload (after its 4-byte length) starts on <paramref name="alignment"/>.</summary>
        public void AlignPayload(int alignment)
        {
            Align(4);
            while ((Position + 4) % alignment != 0)
            {
                Zero(4);
            }
        }

        /// <summary>Writes a vtable whose fields sit at table+4, +8, ... and then a zeroed table; returns the table position.</summary>
        public int Table(int fieldCount, int tableSize)
        {
            Align(4);
            var vtable = Position;
            var vtableSize = 4 + 2 * fieldCount;
            Span<byte> v = stackalloc byte[vtableSize];
            BinaryPrimitives.WriteUInt16LittleEndian(v, (ushort)vtableSize);
            BinaryPrimitives.WriteUInt16LittleEndian(v[2..], (ushort)tableSize);
            for (var f = 0; f < fieldCount; f++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(v[(4 + 2 * f)..], (ushort)(4 + 4 * f));
            }

            Bytes(v);
            Align(4);
            var table = Position;
            Zero(tableSize);
            PatchI32(table, table - vtable);
            return table;
        }

        public void PatchI32(int at, int value) => Patch(at, b => BinaryPrimitives.WriteInt32LittleEndian(b, value));

        public void PatchU32(int at, uint value) => Patch(at, b => BinaryPrimitives.WriteUInt32LittleEndian(b, value));

        /// <summary>A uoffset is relative to the field holding it and must point forward.</summary>
        public void PatchOffset(int field, int target) => PatchU32(field, checked((uint)(target - field)));

        public byte[] ToArray() => buffer.ToArray();

        private void Patch(int at, SpanAction write)
        {
            var array = buffer.GetBuffer();
            write(array.AsSpan(at, 4));
        }

        private delegate void SpanAction(Span<byte> target);
    }

    private sealed class Reader(byte[] data)
    {
        public int U32(int at)
        {
            Check(at, 4);
            var value = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
            return value <= int.MaxValue ? (int)value : throw Invalid($"length or offset {value} at byte {at} is out of range");
        }

        public int Deref(int at) => CheckTarget(at + U32(at));

        /// <summary>Position of field <paramref name="id"/> of the table at <paramref name="table"/>, or null when absent.</summary>
        public int? Field(int table, int id)
        {
            Check(table, 4);
            var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(table));
            Check(vtable, 4);
            var vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(vtable));
            if (4 + 2 * id + 2 > vtableSize)
            {
                return null;
            }

            Check(vtable, vtableSize);
            var offset = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(vtable + 4 + 2 * id));
            return offset == 0 ? null : CheckTarget(table + offset);
        }

        public int ScalarI32(int table, int id, int defaultValue)
        {
            if (Field(table, id) is not { } at)
            {
                return defaultValue;
            }

            Check(at, 4);
            return BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));
        }

        public string String(int at) => Encoding.UTF8.GetString(ByteVector(at));

        public byte[] ByteVector(int at)
        {
            var length = U32(at);
            Check(at + 4, length);
            return data.AsSpan(at + 4, length).ToArray();
        }

        public long[] Int64s(int at)
        {
            var count = U32(at);
            Check(at + 4, checked(count * 8));
            var result = new long[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at + 4 + 8 * i));
            }

            return result;
        }

        private int CheckTarget(int at)
        {
            Check(at, 1);
            return at;
        }

        private void Check(int at, int length)
        {
            if (at < 0 || length < 0 || (long)at + length > data.Length)
            {
                throw Invalid($"a structure at byte {at} (length {length}) lies outside the {data.Length}-byte buffer");
            }
        }
    }
}
