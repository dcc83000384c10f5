using System.CommandLine;
using System.Globalization;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Serving;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Commands;

/// <summary>`supportslm generate`: runs any supported ONNX model folder through the serving runtime (batching worker).</summary>
public static class InferenceCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model folder (model.onnx + config.json/genai_config.json [+ tokenizer.json])", Required = true };
        var inputIds = new Option<string?>("--input-ids") { Description = "Rows of prompt ids: \"a,b,c;d,e,f\" (rows run concurrently, batched)" };
        var ids = new Option<bool>("--ids") { Description = "Print generated ids (one row per line) instead of text" };
        var prompt = new Option<string?>("--prompt") { Description = "Text to continue (needs tokenizer.json in the folder)" };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate per row", DefaultValueFactory = _ => 128 };
        var temperature = new Option<float>("--temperature") { Description = "0 = greedy", DefaultValueFactory = _ => 0 };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed" };
        var command = new Command("generate", "Generate with the serving runtime from an ONNX model folder") { model, inputIds, ids, prompt, maxNew, temperature, seed };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(model)!, parse.GetValue(inputIds), parse.GetValue(prompt), parse.GetValue(ids),
            new SamplingOptions { MaxTokens = parse.GetValue(maxNew), Temperature = parse.GetValue(temperature), Seed = parse.GetValue(seed) },
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string modelFolder, string? inputIds, string? prompt, bool printIds, SamplingOptions sampling,
        TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        try
        {
            using var host = ModelHost.Load(modelFolder);
            var tokenizer = File.Exists(Path.Combine(host.Folder, "tokenizer.json")) ? TokenizerLoader.LoadFromFolder(host.Folder) : null;
            var rows = inputIds is not null ? ParseRows(inputIds)
                : prompt is not null && tokenizer is not null ? [tokenizer.Encode(prompt, addSpecialTokens: true).ToArray()]
                : throw new InferenceException(InferenceError.InvalidRequest, "Pass --input-ids \"a,b;c,d\", or --prompt with a tokenizer.json in the model folder.");
            using var worker = new InferenceWorker(host, printIds ? null : tokenizer,
                new InferenceWorkerOptions { MaxBatchSize = Math.Max(1, rows.Length), QueueCapacity = Math.Max(1, rows.Length) });
            var results = await Task.WhenAll(rows.Select(row => worker.GenerateAsync(new GenerationRequest(row) { Sampling = sampling }, cancellationToken)));
            foreach (var result in results)
            {
                await output.WriteLineAsync(printIds || tokenizer is null
                    ? string.Join(",", result.Tokens.Select(t => t.ToString(CultureInfo.InvariantCulture)))
                    : result.Text);
            }

            return 0;
        }
        catch (Exception e) when (e is InferenceException or TokenizerException)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static int[][] ParseRows(string text) => text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(row => row.Split(',', StringSplitOptions.TrimEntries).Select(id => int.TryParse(id, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InferenceException(InferenceError.InvalidRequest, $"--input-ids: '{id}' is not an integer token id.")).ToArray())
        .ToArray();
}
