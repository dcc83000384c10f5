using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SupportSlm.Training.IO;

/// <summary>
/// Shared framing of our binary files: 8-byte ASCII magic, int32 version, payload, and a trailing FNV-1a 64 checksum of
/// everything before it — so truncation and corruption are reported as such, naming the command that regenerates the file.
/// </summary>
internal sealed class BinaryFormatWriter : IDisposable
{
    private readonly string _finalPath, _tempPath;
    private readonly FileStream _stream;
    private readonly BinaryWriter _writer;
    private ulong _hash = Fnv.Offset;

    public BinaryFormatWriter(string path, string magic, int version)
    {
        _finalPath = path;
        _tempPath = path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _stream = File.Create(_tempPath);
        _writer = new BinaryWriter(_stream);
        WriteBytes(Encoding.ASCII.GetBytes(magic));
        WriteInt32(version);
    }

    public void WriteInt32(int v) => WriteBytes(BitConverter.GetBytes(v));
    public void WriteInt64(long v) => WriteBytes(BitConverter.GetBytes(v));
    public void WriteJson<TValue>(TValue value) => WriteBlob(JsonSerializer.SerializeToUtf8Bytes(value, Json.Options));
    public void WriteBlob(byte[] bytes) { WriteInt32(bytes.Length); WriteBytes(bytes); }
    public void WriteFloats(ReadOnlySpan<float> values) { WriteInt64(values.Length); WriteBytes(MemoryMarshal.AsBytes(values)); }
    public void WriteInts(ReadOnlySpan<int> values) { WriteInt64(values.Length); WriteBytes(MemoryMarshal.AsBytes(values)); }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        _hash = Fnv.Hash(_hash, bytes);
        _writer.Write(bytes);
    }

    /// <summary>Writes the checksum and atomically replaces the target, so a crash never leaves a half-written file in its place.</summary>
    public void Commit()
    {
        _writer.Write(_hash);
        _writer.Flush();
        _stream.Dispose();
        File.Move(_tempPath, _finalPath, overwrite: true);
    }

    public void Dispose()
    {
        _stream.Dispose();
        if (File.Exists(_tempPath)) File.Delete(_tempPath);
    }
}

internal sealed class BinaryFormatReader
{
    private readonly byte[] _bytes;
    private readonly string _path, _regenerate;
    private int _pos;

    /// <summary>Opens and verifies a file: magic, supported version, checksum.</summary>
    public BinaryFormatReader(string path, string magic, int maxVersion, string kind, string regenerate)
    {
        _path = path;
        _regenerate = regenerate;
        if (!File.Exists(path)) throw new TrainingException($"{kind} not found: {path}. {regenerate}");
        _bytes = File.ReadAllBytes(path);
        if (_bytes.Length < 20 || Encoding.ASCII.GetString(_bytes, 0, 8) != magic)
            throw new TrainingException($"{path} is not a {kind} (magic '{magic}' missing). {regenerate}");
        ulong stored = BitConverter.ToUInt64(_bytes, _bytes.Length - 8);
        if (Fnv.Hash(Fnv.Offset, _bytes.AsSpan(0, _bytes.Length - 8)) != stored)
            throw new TrainingException($"{path} is corrupt or truncated (checksum mismatch). {regenerate}");
        _pos = 8;
        Version = ReadInt32();
        if (Version < 1 || Version > maxVersion)
            throw new TrainingException($"{path} is {kind} version {Version}; this build reads versions 1..{maxVersion}. {regenerate}");
    }

    public int Version { get; }

    public int ReadInt32() { int v = BitConverter.ToInt32(Take(4)); return v; }
    public long ReadInt64() => BitConverter.ToInt64(Take(8));
    public byte[] ReadBlob() => Take(ReadInt32()).ToArray();

    public TValue ReadJson<TValue>() =>
        JsonSerializer.Deserialize<TValue>(ReadBlob(), Json.Options) ?? throw Corrupt("empty JSON section");

    public float[] ReadFloats() => MemoryMarshal.Cast<byte, float>(Take(checked((int)ReadInt64() * 4))).ToArray();
    public int[] ReadInts() => MemoryMarshal.Cast<byte, int>(Take(checked((int)ReadInt64() * 4))).ToArray();
    public byte[] ReadBytes(int count) => Take(count).ToArray();

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _pos + (long)count > _bytes.Length - 8) throw Corrupt("section runs past the end");
        var span = _bytes.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private TrainingException Corrupt(string why) => new($"{_path} is malformed ({why}). {_regenerate}");
}

internal static class Fnv
{
    public const ulong Offset = 14695981039346656037UL;

    public static ulong Hash(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
