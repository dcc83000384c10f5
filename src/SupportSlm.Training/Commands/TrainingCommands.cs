using SupportSlm.Training.Data;
using SupportSlm.Training.Import;
using SupportSlm.Training.Inference;

namespace SupportSlm.Training.Commands;

/// <summary>
/// Verb logic for the CLI (the lead wires these into System.CommandLine). Each returns an exit code: 0 success,
/// 1 a <see cref="TrainingException"/> (message written to the error writer).
/// </summary>
public static class SampleCommand
{
    /// <summary>
    /// `supportslm sample --model &lt;checkpoint|llama2.c .bin|HF folder|exported ONNX folder&gt; [--tokenizer tokenizer.json|tok.bin] --prompt "…"
    /// --temperature 0 --max-new-tokens N [--seed S]`. Without --tokenizer, tokenizer.bin, tok{vocab}.bin or tokenizer.json
    /// next to the model is used. An ONNX folder runs through ONNX Runtime, with its adapter.onnx_adapter active when
    /// the folder has one. The prompt is sent as written (ChatML markers such as &lt;|im_start|&gt; are special tokens).
    /// </summary>
    public static Task<int> RunAsync(string modelPath, string? tokenizerPath, string prompt, double temperature, int maxNewTokens,
        ulong seed, TextWriter output, TextWriter error) => CommandRunner.Run(error, () =>
    {
        if (File.Exists(Path.Combine(modelPath, Export.OnnxModelFolder.ModelFile)))
        {
            var config = Export.OnnxModelFolder.ReadConfig(modelPath);
            string adapter = Path.Combine(modelPath, Export.OnnxModelFolder.AdapterFile);
            var onnxTokenizer = ModelTokenizer.Load(tokenizerPath ?? ModelTokenizer.Find(modelPath, config.VocabSize), config.VocabSize);
            var generator = new TextGenerator(config, () => new Export.OnnxKvCacheDecoder(modelPath, File.Exists(adapter) ? adapter : null), onnxTokenizer);
            output.WriteLine(generator.Generate(prompt, maxNewTokens, temperature, seed));
            return;
        }
        var model = ModelLoader.Load(modelPath);
        var tokenizer = ModelTokenizer.Load(tokenizerPath ?? ModelTokenizer.Find(modelPath, model.Config.VocabSize), model.Config.VocabSize);
        output.WriteLine(new TextGenerator(model, tokenizer).Generate(prompt, maxNewTokens, temperature, seed));
    });
}

/// <summary>
/// `supportslm train|finetune|distill --config finetune/configs/X.json [--resume] [--device cpu|cuda|auto]`: the same
/// loop; the config decides, and --device (when given) overrides the config's "device".
/// </summary>
public static class TrainCommand
{
    public static Task<int> RunAsync(string configPath, bool resume, TextWriter output, TextWriter error, string? device = null,
        CancellationToken cancel = default) =>
        CommandRunner.Run(error, () =>
        {
            var config = TrainConfig.Load(configPath);
            if (device is not null) config = config with { Device = TrainingDevices.Parse(device) };
            var result = new Trainer(config, output).Run(resume, cancel: cancel);
            output.WriteLine($"checkpoint: {result.Checkpoint}");
        });
}

/// <summary>`supportslm eval-ppl --model M --data shard.tok [--seq-len T] [--batches B]`: token-weighted loss and perplexity.</summary>
public static class EvalPerplexityCommand
{
    public static Task<int> RunAsync(string modelPath, string shardPath, int seqLen, int batches, TextWriter output, TextWriter error) =>
        CommandRunner.Run(error, () =>
        {
            var model = ModelLoader.Load(modelPath);
            var shard = TokenShard.Load(shardPath);
            if (shard.VocabSize != model.Config.VocabSize)
                throw new TrainingException($"{shardPath} was tokenized for {shard.VocabSize} tokens, the model has {model.Config.VocabSize}: tokenizer/model vocabulary mismatch.");
            Trainer.RowsOrWindows(shard, seqLen, null, shardPath);
            double loss = Trainer.Evaluate(model, null, shard, 8, seqLen, batches);
            output.WriteLine($"loss {loss:F4} perplexity {Math.Exp(loss):F3}");
        });
}

/// <summary>
/// `supportslm prepare-data --kind text|support-csv|step-by-step --input F --tokenizer tok.bin --vocab V --output X.tok
/// [--eval-fraction 0.05] [--max-chars N]`: writes X.tok and the held-out X-eval.tok (text: the tail; chat: every
/// 1/fraction-th example).
/// </summary>
public static class PrepareDataCommand
{
    public static Task<int> RunAsync(string kind, string input, string tokenizerPath, int vocab, string outputPath, double evalFraction,
        int? maxChars, TextWriter output, TextWriter error) => CommandRunner.Run(error, () =>
    {
        if (evalFraction is < 0 or >= 1) throw new TrainingException($"--eval-fraction must be in [0, 1) (got {evalFraction}).");
        var tokenizer = ModelTokenizer.LoadLlama2c(tokenizerPath, vocab);
        TokenShard train, eval;
        if (kind == "text")
        {
            var all = ShardBuilder.FromText(input, tokenizer, maxChars ?? int.MaxValue);
            int split = (int)(all.Tokens.Length * (1 - evalFraction));
            train = new TokenShard(vocab, all.Tokens[..split], null);
            eval = new TokenShard(vocab, all.Tokens[split..], null);
        }
        else
        {
            var examples = (kind switch
            {
                "support-csv" => ShardBuilder.ReadSupportCsv(input),
                "step-by-step" => ShardBuilder.ReadStepByStepJsonl(input),
                _ => throw new TrainingException($"Unknown data kind '{kind}' (text, support-csv, step-by-step)."),
            }).ToList();
            int every = evalFraction > 0 ? Math.Max(2, (int)Math.Round(1 / evalFraction)) : int.MaxValue;
            train = ShardBuilder.FromChat(examples.Where((_, i) => i % every != every - 1), tokenizer);
            eval = ShardBuilder.FromChat(examples.Where((_, i) => i % every == every - 1), tokenizer);
        }
        train.Save(outputPath);
        output.WriteLine($"{outputPath}: {train.Tokens.Length} tokens" + (train.Mask is null ? "" : $", {train.Mask.Count(m => m != 0)} with loss"));
        if (eval.Tokens.Length == 0) return;
        string evalPath = Path.Combine(Path.GetDirectoryName(outputPath) ?? "", Path.GetFileNameWithoutExtension(outputPath) + "-eval" + Path.GetExtension(outputPath));
        eval.Save(evalPath);
        output.WriteLine($"{evalPath}: {eval.Tokens.Length} tokens (held out)");
    });
}

internal static class CommandRunner
{
    public static Task<int> Run(TextWriter error, Action body)
    {
        try
        {
            body();
            return Task.FromResult(0);
        }
        catch (TrainingException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return Task.FromResult(1);
        }
    }
}

/// <summary>
/// `supportslm quantize --model M --data eval.tok [--bits 8|4] [--block-size 32] [--prune 0.3] [--seq-len T] [--batches B] [--output X.ckpt]`:
/// reports the perplexity each compression costs on held-out data; --output saves the compressed (dequantized) weights.
/// </summary>
public static class QuantizeCommand
{
    public static Task<int> RunAsync(string modelPath, string shardPath, int bits, int blockSize, double prune, int seqLen, int batches,
        string? outputPath, TextWriter output, TextWriter error) => CommandRunner.Run(error, () =>
    {
        var model = ModelLoader.Load(modelPath);
        var shard = TokenShard.Load(shardPath);
        if (shard.VocabSize != model.Config.VocabSize)
            throw new TrainingException($"{shardPath} was tokenized for {shard.VocabSize} tokens, the model has {model.Config.VocabSize}: tokenizer/model vocabulary mismatch.");
        Trainer.RowsOrWindows(shard, seqLen, null, shardPath);
        foreach (var row in Compression.CompressionReport.Measure(model, shard, bits, blockSize, prune, seqLen, batches))
            output.WriteLine(row);
        if (outputPath is not null)
        {
            var compressed = prune > 0 ? Compression.WeightQuantizer.Prune(model, prune) : model;
            compressed = Compression.WeightQuantizer.SimulateQuantization(compressed, bits, blockSize);
            new IO.Checkpoint(compressed.Config, compressed.Weights).Save(outputPath);
            output.WriteLine($"saved {outputPath}");
        }
    });
}
