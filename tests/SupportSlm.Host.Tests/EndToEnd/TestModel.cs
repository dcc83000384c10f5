using SupportSlm.Training;
using SupportSlm.Training.Export;

namespace SupportSlm.Host.Tests.EndToEnd;

/// <summary>
/// A real language model folder for the host, exported at test start by the product's exporter from the third-party
/// stories260K checkpoint (../shared/data/llama2c-stories260k, MIT): real ONNX Runtime, real tokenizer, a few hundred
/// kilobytes. Its 512-token window is widened to 2048 (the weights do not depend on it; RoPE is computed) so the
/// shipped prompt budget fits. It tells children's stories, so the pipeline's grounding check declines its answers.
/// </summary>
internal static class TestModel
{
    public const int ContextLength = 2048;

    public static string ExportTo(string folder)
    {
        var source = Path.Combine(Repository.SharedData, "llama2c-stories260k");
        var checkpoint = Path.Combine(source, "stories260K.bin");
        if (!File.Exists(checkpoint)) throw new InvalidOperationException($"The test model's checkpoint is missing: {checkpoint} (shared data).");
        var model = ModelLoader.Load(checkpoint);
        var widened = new LlamaModel<float>(model.Config with { MaxSeqLen = ContextLength }, model.Weights);
        OnnxModelFolder.Write(widened, folder, new OnnxExportOptions(), adapter: null, tokenizerPath: Path.Combine(source, "tok512.bin"));
        return folder;
    }
}
