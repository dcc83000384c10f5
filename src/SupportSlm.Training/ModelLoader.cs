using SupportSlm.Training.Import;
using SupportSlm.Training.IO;

namespace SupportSlm.Training;

/// <summary>Opens a model from any supported source: our checkpoint (adapter merged), a llama2.c .bin, or an HF safetensors folder.</summary>
public static class ModelLoader
{
    public static LlamaModel<float> Load(string path)
    {
        if (Directory.Exists(path))
        {
            if (File.Exists(Path.Combine(path, "model.safetensors"))) return HfLlama.Load(path);
            throw new TrainingException($"{path} is a folder without model.safetensors + config.json (ONNX model folders are served by SupportSlm.Onnx, not loaded for training).");
        }
        if (!File.Exists(path)) throw new TrainingException($"Model not found: {path}");
        if (!Checkpoint.IsCheckpoint(path)) return Llama2cCheckpoint.Load(path);
        var ckpt = Checkpoint.Load(path);
        var model = ckpt.CreateModel();
        if (ckpt.Lora is not null) new LoraAdapter<float>(ckpt.Config, ckpt.Lora, ckpt.AdapterWeights).MergeInto(model);
        return model;
    }
}
