using SupportSlm.Training.Import;
using SupportSlm.Training.IO;

namespace SupportSlm.Training;

/// <summary>
/// Opens a model from any supported source: our checkpoint (adapter merged), a llama2.c .bin, an HF safetensors folder,
/// or one of our exported ONNX model folders (or its model.onnx; quantized weights dequantized, any adapter file ignored).
/// </summary>
public static class ModelLoader
{
    public static LlamaModel<float> Load(string path)
    {
        if (Directory.Exists(path))
        {
            if (File.Exists(Path.Combine(path, "model.safetensors"))) return HfLlama.Load(path);
            if (OnnxModelImport.IsOnnxModel(path)) return OnnxModelImport.Load(path).Model;
            throw new TrainingException($"{path} is a folder with neither model.safetensors + config.json nor an exported model.onnx + config.json.");
        }
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && File.Exists(path)) return OnnxModelImport.Load(path).Model;
        if (!File.Exists(path)) throw new TrainingException($"Model not found: {path}");
        if (!Checkpoint.IsCheckpoint(path)) return Llama2cCheckpoint.Load(path);
        var ckpt = Checkpoint.Load(path);
        var model = ckpt.CreateModel();
        if (ckpt.Lora is not null) new LoraAdapter<float>(ckpt.Config, ckpt.Lora, ckpt.AdapterWeights).MergeInto(model);
        return model;
    }
}
