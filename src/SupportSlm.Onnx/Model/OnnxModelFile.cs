using Google.Protobuf;
using SupportSlm.Onnx.Protobuf;

namespace SupportSlm.Onnx.Model;

/// <summary>Reads and writes .onnx files (protobuf ModelProto).</summary>
public static class OnnxModelFile
{
    public static ModelProto Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            return model.Graph is not null && model.HasIrVersion
                ? model
                : throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, "The bytes parse as protobuf but hold no ONNX model (no graph or IR version).");
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, $"Not an ONNX model: {e.Message}", e);
        }
    }

    public static ModelProto Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, $"Model file '{fullPath}' does not exist.");
        }

        try
        {
            return Parse(File.ReadAllBytes(fullPath));
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxRuntimeException(e.Code, $"{fullPath}: {e.OrtMessage}", e);
        }
    }

    /// <summary>Writes atomically (temp file + rename) so a reader never sees a half-written model.</summary>
    public static void Save(ModelProto model, string path)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + ".tmp";
        using (var stream = File.Create(temporary))
        {
            model.WriteTo(stream);
        }

        File.Move(temporary, fullPath, overwrite: true);
    }
}
