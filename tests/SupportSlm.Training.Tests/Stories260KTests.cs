using SupportSlm.Training;
using SupportSlm.Training.Commands;
using SupportSlm.Training.Import;
using SupportSlm.Training.Inference;

namespace SupportSlm.Training.Tests;

/// <summary>A real third-party checkpoint: karpathy's stories260K must reproduce llama2.c's documented greedy sample.</summary>
public class Stories260KTests
{
    // karpathy/llama2.c doc/stories260K.md: greedy sample from BOS begins with these sentences.
    private const string Documented = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.";

    [Fact]
    public void Header_is_read_as_documented()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        Assert.Equal(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, TiedEmbeddings: true), model.Config);
        Assert.Equal(264_128 - 2 * 512 * 4, model.Weights.Length);   // file floats minus the two legacy RoPE tables
    }

    [Fact]
    public void Greedy_sample_from_bos_reproduces_llama2c_documented_output()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var tokenizer = ModelTokenizer.Load(TestPaths.Tok512, model.Config.VocabSize);
        string text = new TextGenerator(model, tokenizer).Generate("", maxNewTokens: 60, temperature: 0);
        Assert.StartsWith(Documented, text);
    }

    [Fact]
    public void Temperature_sampling_is_reproducible_per_seed_and_honours_the_prompt()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        var generator = new TextGenerator(model, ModelTokenizer.Load(TestPaths.Tok512, 512));
        string a = generator.Generate("Lily and Ben", 30, temperature: 1.0, seed: 1);
        Assert.Equal(a, generator.Generate("Lily and Ben", 30, temperature: 1.0, seed: 1));
        Assert.NotEqual(a, generator.Generate("Lily and Ben", 30, temperature: 1.0, seed: 2));
        Assert.StartsWith("Lily and Ben", a);
        Assert.Throws<TrainingException>(() => generator.Generate("x", 5, temperature: -1));
    }

    [Fact]
    public void Batched_training_forward_agrees_with_kv_cache_decoder()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        int[] tokens = Tok512.Encode("Once upon a time, there was a little girl");
        var logits = model.Forward(tokens, 1, tokens.Length);
        var decoder = new KvCacheDecoder(model);
        for (int pos = 0; pos < tokens.Length; pos++)
        {
            var step = decoder.Step(tokens[pos], pos);
            for (int v = 0; v < 512; v++) Assert.True(Math.Abs(step[v] - logits[pos * 512 + v]) <= 1e-3, $"pos {pos} token {v}: {step[v]} vs {logits[pos * 512 + v]}");
        }
    }

    [Fact]
    public async Task Sample_command_prints_the_story()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await SampleCommand.RunAsync(TestPaths.Stories260K, TestPaths.Tok512, "", 0, 40, 0, output, error);
        Assert.True(code == 0, error.ToString());
        Assert.StartsWith("Once upon a time, there was a little girl named Lily.", output.ToString());
    }

    [Fact]
    public void Tokenizer_encodes_like_llama2c_and_round_trips()
    {
        var tokenizer = Tok512.Tokenizer;
        int[] ids = Tok512.Encode("Once upon a time", eos: true);
        Assert.Equal(Tok512.Bos, ids[0]);
        Assert.Equal(Tok512.Eos, ids[^1]);
        Assert.True(ids.Length < "Once upon a time".Length, "merges should compress the text");
        Assert.Equal("Once upon a time", tokenizer.Decode(ids[1..^1]).Trim());
        // characters outside the 512-token vocabulary fall back to UTF-8 byte tokens and come back intact
        Assert.Equal("café ✓", tokenizer.Decode(Tok512.Encode("café ✓")[1..]));
    }

    [Fact]
    public void Tokenizer_with_a_different_vocabulary_size_is_rejected()
    {
        var ex = Assert.Throws<TrainingException>(() => ModelTokenizer.LoadLlama2c(TestPaths.Tok512, 1024));
        Assert.Contains("vocabulary mismatch", ex.Message);
        ex = Assert.Throws<TrainingException>(() => ModelTokenizer.LoadLlama2c(TestPaths.Tok512, 256));
        Assert.Contains("vocabulary mismatch", ex.Message);
        string truncated = Path.Combine(TestPaths.TempDir(), "tok512.bin");
        File.WriteAllBytes(truncated, File.ReadAllBytes(TestPaths.Tok512)[..1001]);
        ex = Assert.Throws<TrainingException>(() => ModelTokenizer.LoadLlama2c(truncated, 512));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public async Task Tokenizer_model_vocabulary_mismatch_is_a_clear_error()
    {
        // a model with a 600-token vocabulary given the 512-token tokenizer
        string dir = TestPaths.TempDir();
        var model = LlamaModel<float>.CreateRandom(new LlamaConfig(16, 32, 1, 2, 2, 600, 32), 1);
        string path = Path.Combine(dir, "m.ckpt");
        new IO.Checkpoint(model.Config, model.Weights).Save(path);
        var error = new StringWriter();
        int code = await SampleCommand.RunAsync(path, TestPaths.Tok512, "hi", 0, 5, 0, new StringWriter(), error);
        Assert.Equal(1, code);
        Assert.Contains("vocabulary", error.ToString());
    }

    [Fact]
    public void Truncated_or_missing_llama2c_file_is_a_clear_error()
    {
        string dir = TestPaths.TempDir();
        string truncated = Path.Combine(dir, "cut.bin");
        File.WriteAllBytes(truncated, File.ReadAllBytes(TestPaths.Stories260K)[..100_000]);
        var ex = Assert.Throws<TrainingException>(() => Llama2cCheckpoint.Load(truncated));
        Assert.Contains("truncated", ex.Message);
        ex = Assert.Throws<TrainingException>(() => ModelLoader.Load(Path.Combine(dir, "nope.bin")));
        Assert.Contains("not found", ex.Message);
        string garbage = Path.Combine(dir, "garbage.bin");
        File.WriteAllBytes(garbage, Enumerable.Repeat((byte)0xFF, 64).ToArray());
        Assert.Throws<TrainingException>(() => Llama2cCheckpoint.Load(garbage));
    }
}
