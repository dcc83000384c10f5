using System.CommandLine;
using SupportSlm.Training.Commands;

namespace SupportSlm.Cli.Verbs;

/// <summary>The trainer's verbs: train/finetune/distill run one loop driven by the config; sample, eval-ppl, quantize, prepare-data.</summary>
internal static class TrainingVerbs
{
    public static IEnumerable<Command> Create() =>
    [
        Train("train", "Pre-train a model from a finetune/configs/*.json recipe"),
        Train("finetune", "Fine-tune (full or LoRA) from a finetune/configs/*.json recipe"),
        Train("distill", "Distil a teacher into a student from a finetune/configs/*.json recipe"),
        Sample(), EvalPerplexity(), Quantize(), PrepareData(), Export(),
    ];

    private static Command Train(string name, string description)
    {
        var config = new Option<string>("--config") { Description = "Recipe file, e.g. finetune/configs/base-tinystories.json", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue exactly from the recipe's last checkpoint" };
        var device = new Option<string?>("--device")
        {
            Description = "Where the GEMMs run: cpu (default, the reference kernels), cuda (ILGPU kernel on an NVIDIA GPU) or auto; overrides the recipe's \"device\"",
        };
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var command = new Command(name, description) { config, resume, device };
        command.SetAction((parse, ct) => TrainCommand.RunAsync(parse.GetValue(config)!, parse.GetValue(resume),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(device), ct));
        return command;
    }

    private static Command Sample()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint, llama2.c .bin or Hugging Face folder", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json or llama2.c tokenizer.bin (default: next to the model)" };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue", DefaultValueFactory = _ => "" };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate", DefaultValueFactory = _ => 128 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 42 };
        var command = new Command("sample", "Generate text from a checkpoint with the trainer's own decoder") { model, tokenizer, prompt, temperature, maxNew, seed };
        command.SetAction(parse => SampleCommand.RunAsync(parse.GetValue(model)!, parse.GetValue(tokenizer), parse.GetValue(prompt)!,
            parse.GetValue(temperature), parse.GetValue(maxNew), parse.GetValue(seed), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command Export()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint or llama2.c .bin to export", Required = true };
        var output = new Option<string>("--out") { Description = "Model folder to write (model.onnx, config.json, tokenizer)", Required = true };
        var int8 = new Option<bool>("--int8") { Description = "Int8 weight-only quantization (same as --bits 8)" };
        var bits = new Option<int>("--bits") { Description = "32 (float), 8 or 4", DefaultValueFactory = _ => 32 };
        var blockSize = new Option<int>("--block-size") { Description = "Weights per quantization scale", DefaultValueFactory = _ => 32 };
        var adapter = new Option<bool>("--adapter") { Description = "Write a LoRA checkpoint's adapter as adapter.onnx_adapter beside a base model" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json or llama2.c tokenizer.bin (default: next to the checkpoint)" };
        var accuracy = new Option<int>("--accuracy-level") { Description = "Quantized matmuls: 0 computes in float, 4 in int8 (about 10x faster on CPU)", DefaultValueFactory = _ => 0 };
        var command = new Command("export", "Export a checkpoint to an ONNX model folder served by ONNX Runtime") { checkpoint, output, int8, bits, blockSize, adapter, tokenizer, accuracy };
        command.SetAction(parse => ExportCommand.RunAsync(parse.GetValue(checkpoint)!, parse.GetValue(output)!,
            new ExportOptions(parse.GetValue(int8) ? 8 : parse.GetValue(bits), parse.GetValue(blockSize), parse.GetValue(adapter), parse.GetValue(tokenizer), parse.GetValue(accuracy)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command EvalPerplexity()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint or llama2.c .bin", Required = true };
        var data = new Option<string>("--data") { Description = "Token shard (.tok) made by prepare-data", Required = true };
        var seqLen = new Option<int>("--seq-len") { Description = "Window length", DefaultValueFactory = _ => 256 };
        var batches = new Option<int>("--batches") { Description = "Windows batches to evaluate", DefaultValueFactory = _ => 16 };
        var command = new Command("eval-ppl", "Token-weighted loss and perplexity on held-out data") { model, data, seqLen, batches };
        command.SetAction(parse => EvalPerplexityCommand.RunAsync(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(seqLen),
            parse.GetValue(batches), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command Quantize()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint or llama2.c .bin", Required = true };
        var data = new Option<string>("--data") { Description = "Held-out token shard to measure perplexity on", Required = true };
        var bits = new Option<int>("--bits") { Description = "8 or 4", DefaultValueFactory = _ => 8 };
        var blockSize = new Option<int>("--block-size") { Description = "Weights per quantization scale", DefaultValueFactory = _ => 32 };
        var prune = new Option<double>("--prune") { Description = "Fraction of smallest weights to zero (0 = none)", DefaultValueFactory = _ => 0 };
        var seqLen = new Option<int>("--seq-len") { DefaultValueFactory = _ => 256 };
        var batches = new Option<int>("--batches") { DefaultValueFactory = _ => 16 };
        var output = new Option<string?>("--output") { Description = "Save the compressed checkpoint here" };
        var command = new Command("quantize", "Quantize and/or prune, reporting the perplexity each costs") { model, data, bits, blockSize, prune, seqLen, batches, output };
        command.SetAction(parse => QuantizeCommand.RunAsync(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(bits), parse.GetValue(blockSize),
            parse.GetValue(prune), parse.GetValue(seqLen), parse.GetValue(batches), parse.GetValue(output),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command PrepareData()
    {
        var kind = new Option<string>("--kind") { Description = "text, support-csv or step-by-step", Required = true };
        var input = new Option<string>("--input") { Description = "Source file", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "llama2.c tokenizer.bin", Required = true };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary size of the tokenizer", Required = true };
        var output = new Option<string>("--output") { Description = "Shard to write (X.tok; the held-out part goes to X-eval.tok)", Required = true };
        var evalFraction = new Option<double>("--eval-fraction") { Description = "Share held out for evaluation", DefaultValueFactory = _ => 0.05 };
        var maxChars = new Option<int?>("--max-chars") { Description = "Read at most this many characters of text" };
        var command = new Command("prepare-data", "Tokenize a corpus into training and held-out shards") { kind, input, tokenizer, vocab, output, evalFraction, maxChars };
        command.SetAction(parse => PrepareDataCommand.RunAsync(parse.GetValue(kind)!, parse.GetValue(input)!, parse.GetValue(tokenizer)!, parse.GetValue(vocab),
            parse.GetValue(output)!, parse.GetValue(evalFraction), parse.GetValue(maxChars), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
