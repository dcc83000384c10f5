using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupportSlm.Training.Import;

/// <summary>
/// The safetensors container (public format by Hugging Face): u64 little-endian header length, a JSON header mapping
/// tensor names to {dtype, shape, data_offsets [begin, end)} relative to the data section, then the raw data.
/// Reads F32, F16 and BF16 (converted to float32); writes F32.
/// </summary>
public static class Safetensors
{
    public sealed record Tensor(int[] Shape, float[] Data);

    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new TrainingException($"safetensors file not found: {path}");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new TrainingException($"{path} is too short to be a safetensors file.");
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLen > (ulong)(bytes.Length - 8)) throw new TrainingException($"{path}: header length {headerLen} runs past the end of the file (truncated?).");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLen))?.AsObject() ?? throw new JsonException("empty header");
        }
        catch (JsonException ex)
        {
            throw new TrainingException($"{path}: the safetensors header is not valid JSON ({ex.Message}).", ex);
        }
        int dataStart = 8 + (int)headerLen;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__" || node is null) continue;
            string dtype = node["dtype"]!.GetValue<string>();
            int[] shape = node["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            long count = shape.Aggregate(1L, (a, b) => a * b);
            int width = dtype switch
            {
                "F32" => 4, "F16" or "BF16" => 2,
                _ => throw new TrainingException($"{path}: tensor {name} has dtype {dtype}; only F32, F16 and BF16 are supported."),
            };
            if (offsets[1] - offsets[0] != count * width || dataStart + offsets[1] > bytes.Length)
                throw new TrainingException($"{path}: tensor {name} ({dtype} {string.Join("x", shape)}) has inconsistent data offsets [{offsets[0]}, {offsets[1]}).");
            var raw = bytes.AsSpan(dataStart + (int)offsets[0], (int)(count * width));
            var data = new float[count];
            if (dtype == "F32") MemoryMarshal.Cast<byte, float>(raw).CopyTo(data);
            else
                for (int i = 0; i < count; i++)
                {
                    ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]);
                    data[i] = dtype == "F16" ? (float)BitConverter.UInt16BitsToHalf(bits) : BitConverter.Int32BitsToSingle(bits << 16);
                }
            result[name] = new Tensor(shape, data);
        }
        return result;
    }

    public static void Write(string path, IEnumerable<(string Name, int[] Shape, float[] Data)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is not null)
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var (name, shape, data) in list)
        {
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + data.Length * 4L),
            };
            offset += data.Length * 4L;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;   // keep the data 8-byte aligned, padding the header with spaces as the spec allows
        using var f = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        f.Write(len);
        f.Write(json);
        for (int i = json.Length; i < padded; i++) f.WriteByte((byte)' ');
        foreach (var (_, _, data) in list) f.Write(MemoryMarshal.AsBytes(data.AsSpan()));
    }
}
