using SupportSlm.Training.Export;
using SupportSlm.Training.Import;
using SupportSlm.Training.Inference;
using SupportSlm.Training.IO;

namespace SupportSlm.Training.Commands;

/// <summary>Options of `supportslm export`.</summary>
/// <param name="Bits">32 (float weights), 8 (--int8) or 4: MatMulNBits weight-only quantization of the decoder's linear layers.</param>
/// <param name="SeparateAdapter">For a LoRA checkpoint: export the base with LoRA inputs plus adapter.onnx_adapter instead of merging.</param>
/// <param name="TokenizerPath">The model's tokenizer to place beside it: a Hugging Face tokenizer.json (ChatML models) or a llama2.c
/// tokenizer .bin; default tokenizer.bin / tok{vocab}.bin / tokenizer.json next to the checkpoint.</param>
public sealed record ExportOptions(int Bits = 32, int BlockSize = 32, bool SeparateAdapter = false, string? TokenizerPath = null, int AccuracyLevel = 0);

/// <summary>
/// `supportslm export --checkpoint &lt;checkpoint|llama2.c .bin|HF folder&gt; --out models/foo [--int8 | --bits 8|4] [--block-size 32]
/// [--adapter] [--tokenizer tokenizer.json|tok.bin]`: writes model.onnx, config.json, generation_config.json, the tokenizer
/// (tokenizer.json + tokenizer_config.json, and tokenizer.bin for llama2.c) and adapter.onnx_adapter with --adapter.
/// See <see cref="OnnxModelFolder"/>.
/// </summary>
public static class ExportCommand
{
    public static Task<int> RunAsync(string checkpointPath, string outFolder, ExportOptions options, TextWriter output, TextWriter error) =>
        CommandRunner.Run(error, () =>
        {
            var result = Export(checkpointPath, outFolder, options);
            foreach (var file in result.Files) output.WriteLine($"wrote {file} ({new FileInfo(file).Length:N0} bytes)");
            output.WriteLine($"exported in {result.Elapsed.TotalSeconds:F2} s");
        });

    public static ExportResult Export(string checkpointPath, string outFolder, ExportOptions options)
    {
        LlamaModel<float> model;
        LoraAdapter<float>? adapter = null;
        IReadOnlyList<LoraTarget>? loraTargets = null;
        IReadOnlyDictionary<string, Onnx.Model.MatMulNBitsWeights>? keptBlocks = null;
        if (options.SeparateAdapter)
        {
            if (!Checkpoint.IsCheckpoint(checkpointPath))
                throw new TrainingException($"--adapter needs a LoRA checkpoint written by `supportslm finetune`; {checkpointPath} is not one.");
            var checkpoint = Checkpoint.Load(checkpointPath);
            if (checkpoint.Lora is null)
                throw new TrainingException($"{checkpointPath} holds no LoRA adapter; export it without --adapter (or fine-tune with a \"lora\" section first).");
            model = checkpoint.CreateModel();
            adapter = new LoraAdapter<float>(checkpoint.Config, checkpoint.Lora, checkpoint.AdapterWeights);
        }
        else if (OnnxModelImport.IsOnnxModel(checkpointPath))
        {
            // Re-exporting one of our folders keeps the LoRA inputs its graph offers (so its adapters still load) and its
            // quantized weights as they are.
            var imported = OnnxModelImport.Load(checkpointPath);
            (model, loraTargets, keptBlocks) = (imported.Model, imported.LoraTargets, imported.Blocks);
        }
        else
        {
            model = ModelLoader.Load(checkpointPath);
        }
        string tokenizer = options.TokenizerPath ?? ModelTokenizer.Find(checkpointPath, model.Config.VocabSize);
        ModelTokenizer.Load(tokenizer, model.Config.VocabSize);   // refuses a tokenizer whose vocabulary differs from the model's
        try
        {
            return OnnxModelFolder.Write(model, outFolder, new OnnxExportOptions(options.Bits, options.BlockSize, loraTargets, options.AccuracyLevel, keptBlocks), adapter, tokenizer);
        }
        catch (Onnx.OnnxRuntimeException ex)
        {
            throw new TrainingException($"Export to {outFolder} failed: {ex.Message}");
        }
    }
}
