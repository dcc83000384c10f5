using System.Text.Json.Nodes;
using SupportSlm.Onnx;
using SupportSlm.Tokenizers;
using SupportSlm.Tokenizers.Training;
using SupportSlm.Training.Commands;
using SupportSlm.Training.Export;
using SupportSlm.Training.Inference;
using SupportSlm.Training.IO;

namespace SupportSlm.Training.Tests;

/// <summary>
/// Export and sampling with a Hugging Face tokenizer.json trained by our byte-level BPE trainer (the ChatML models), read
/// back the way SupportSlm.Inference reads a model folder (TokenizerLoader.LoadFromFolder, ChatTemplate.FromFolder,
/// config/generation_config ids), by ONNX Runtime and by Hugging Face tokenizers.js.
/// </summary>
public class ChatTokenizerExportTests
{
    private static readonly string[] Specials = [ModelTokenizer.EndOfText, ModelTokenizer.ChatStart, ModelTokenizer.ChatEnd];
    private const string Prompt = "<|im_start|>user\nwhere is my order?<|im_end|>\n<|im_start|>assistant\n";

    private static readonly Lazy<string> TrainedTokenizer = new(() =>
    {
        string path = Path.Combine(TestPaths.TempDir(), "tokenizer.json");
        var lines = File.ReadLines(TestPaths.SupportCsv).Take(300);
        File.WriteAllText(path, ByteLevelBpeTrainer.TrainToJson(lines, 400, Specials));
        return path;
    });

    /// <summary>A random model with weights scaled up so greedy choices are far from ties (ORT and C# then agree on them).</summary>
    private static (LlamaModel<float> Model, string Checkpoint) RandomModel(int vocab)
    {
        var model = LlamaModel<float>.CreateRandom(new LlamaConfig(32, 64, 2, 4, 2, vocab, 64), seed: 21);
        for (int i = 0; i < model.Weights.Length; i++) model.Weights[i] *= 8;
        string path = Path.Combine(TestPaths.TempDir(), "random.ckpt");
        new Checkpoint(model.Config, model.Weights).Save(path);
        return (model, path);
    }

    [Fact]
    public async Task Export_with_a_bpe_tokenizer_json_writes_a_chatml_folder_that_loads_runs_and_samples()
    {
        var tokenizer = HuggingFaceTokenizer.FromFile(TrainedTokenizer.Value);
        int imEnd = tokenizer.TokenToId(ModelTokenizer.ChatEnd)!.Value, endOfText = tokenizer.TokenToId(ModelTokenizer.EndOfText)!.Value;
        var (model, checkpoint) = RandomModel(tokenizer.VocabularySize);
        string folder = Path.Combine(TestPaths.TempDir(), "chat");
        var error = new StringWriter();
        Assert.True(await ExportCommand.RunAsync(checkpoint, folder, new ExportOptions(TokenizerPath: TrainedTokenizer.Value), new StringWriter(), error) == 0, error.ToString());

        // the files: tokenizer.json as trained, ChatML tokenizer_config.json, <|im_end|> as EOS in both config files
        Assert.Equal(File.ReadAllBytes(TrainedTokenizer.Value), File.ReadAllBytes(Path.Combine(folder, OnnxModelFolder.HfTokenizerFile)));
        Assert.False(File.Exists(Path.Combine(folder, OnnxModelFolder.TokenizerFile)));
        var tokenizerConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, OnnxModelFolder.HfTokenizerConfigFile)))!;
        Assert.Equal(ModelTokenizer.ChatEnd, (string?)tokenizerConfig["eos_token"]);
        Assert.Equal(ModelTokenizer.EndOfText, (string?)tokenizerConfig["bos_token"]);
        var generation = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, OnnxModelFolder.GenerationConfigFile)))!;
        Assert.Equal([imEnd, endOfText], generation["eos_token_id"]!.AsArray().Select(n => (int)n!));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, OnnxModelFolder.ConfigFile)))!;
        Assert.Equal(imEnd, (int)config["eos_token_id"]!);
        Assert.Equal(tokenizer.VocabularySize, (int)config["vocab_size"]!);

        // what SupportSlm.Inference's ModelHost and chat client read from the folder
        var loaded = TokenizerLoader.LoadFromFolder(folder);
        Assert.Same(ChatTemplate.ChatMl, ChatTemplate.FromFolder(folder));
        Assert.Equal(imEnd, loaded.Special.Eos);
        Assert.Equal(endOfText, loaded.Special.Bos);
        var promptIds = loaded.Encode(Prompt).ToArray();
        Assert.Equal(tokenizer.Encode(Prompt), promptIds);
        Assert.Equal(tokenizer.TokenToId(ModelTokenizer.ChatStart), promptIds[0]);

        // ONNX Runtime's logits of the exported graph match the C# forward
        var expected = model.Forward(promptIds, 1, promptIds.Length).ToArray();
        using (var session = InferenceSession.FromFile(Path.Combine(folder, OnnxModelFolder.ModelFile)))
        using (var run = OnnxRunner.Run(session, model.Config, [promptIds], [0]))
        {
            var actual = run[0].GetTensorData<float>();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"logit {i}: C# {expected[i]}, ORT {actual[i]}");
        }

        // greedy sampling through ORT (the sample command) prints what the C# decoder picks, decoded by the tokenizer
        var greedy = GreedyIds(model, promptIds, 12, ModelTokenizer.StopIds(loaded));
        var sample = new StringWriter();
        Assert.True(await SampleCommand.RunAsync(folder, null, Prompt, 0, 12, 0, sample, error) == 0, error.ToString());
        string text = sample.ToString().TrimEnd('\n');
        Assert.Equal(loaded.Decode([.. promptIds, .. greedy]), text);
        Assert.StartsWith("user\nwhere is my order?\nassistant\n", text);   // specials skipped, the rest round-trips
        Assert.Equal(text, new TextGenerator(model, ModelTokenizer.Load(TrainedTokenizer.Value, model.Config.VocabSize)).Generate(Prompt, 12));

        // Hugging Face tokenizers.js loads the exported tokenizer.json + tokenizer_config.json and agrees on ids and text
        var texts = new List<string> { Prompt, "Hello  world\nnew line", "café ✓ 😀 naïve", "I want to cancel order 123, please!" };
        var peer = HfTokenizerJsonTests.RunPeer(folder, texts);
        for (int i = 0; i < texts.Count; i++) Assert.Equal(loaded.Encode(texts[i]), peer[i].Ids);
        Assert.Equal(loaded.Decode(loaded.Encode(texts[1])), peer[1].Text);
    }

    [Fact]
    public async Task A_tokenizer_json_of_another_vocabulary_or_without_chatml_tokens_is_refused()
    {
        var tokenizer = HuggingFaceTokenizer.FromFile(TrainedTokenizer.Value);
        var (_, checkpoint) = RandomModel(tokenizer.VocabularySize + 5);
        var error = new StringWriter();
        Assert.Equal(1, await ExportCommand.RunAsync(checkpoint, Path.Combine(TestPaths.TempDir(), "x"), new ExportOptions(TokenizerPath: TrainedTokenizer.Value), new StringWriter(), error));
        Assert.Contains("vocabulary mismatch", error.ToString());

        string plain = Path.Combine(TestPaths.TempDir(), "tokenizer.json");
        File.WriteAllText(plain, ByteLevelBpeTrainer.TrainToJson(File.ReadLines(TestPaths.SupportCsv).Take(50), 300, [ModelTokenizer.EndOfText]));
        var (_, small) = RandomModel(HuggingFaceTokenizer.FromFile(plain).VocabularySize);
        error = new StringWriter();
        Assert.Equal(1, await ExportCommand.RunAsync(small, Path.Combine(TestPaths.TempDir(), "y"), new ExportOptions(TokenizerPath: plain), new StringWriter(), error));
        Assert.Contains("has no <|im_start|> token", error.ToString());
        Assert.Contains("supportslm tokenizer train", error.ToString());
    }

    private static List<int> GreedyIds(LlamaModel<float> model, int[] prompt, int count, IReadOnlySet<int> stop)
    {
        var decoder = new KvCacheDecoder(model);
        float[] logits = [];
        for (int pos = 0; pos < prompt.Length; pos++) logits = decoder.Step(prompt[pos], pos);
        var ids = new List<int>();
        for (int i = 0; i < count; i++)
        {
            var order = logits.Select((v, id) => (v, id)).OrderByDescending(x => x.v).ToArray();
            Assert.True(order[0].v - order[1].v > 1e-3, $"step {i}: the top two logits nearly tie, so greedy is not robust; change the seed");
            if (stop.Contains(order[0].id)) break;
            ids.Add(order[0].id);
            logits = decoder.Step(order[0].id, prompt.Length + i);
        }
        return ids;
    }
}
