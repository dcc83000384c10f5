using SupportSlm.Inference.Models;

namespace SupportSlm.Inference.Tests;

public sealed class ModelHostTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("supportslm-inference-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Left_padded_batch_of_unequal_rows_matches_each_row_run_alone()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        int[][] prompts = [[5, 17, 300], [42], [7, 8, 9, 10, 11, 12, 13], [999, 1]];
        var batched = prompts.Select(_ => host.CreateCache()).ToArray();
        var single = prompts.Select(_ => host.CreateCache()).ToArray();
        var batchLogits = host.Forward(prompts.Select((p, r) => new ForwardRow(batched[r], p)).ToArray());
        var singleLogits = prompts.Select((p, r) => host.Forward([new ForwardRow(single[r], p)])[0]).ToArray();
        for (var step = 0; step < 6; step++)
        {
            for (var r = 0; r < prompts.Length; r++)
            {
                AssertClose(singleLogits[r], batchLogits[r], $"row {r} step {step}");
            }

            // Rows now hold pasts of different lengths: the next step pads the past as well.
            var next = singleLogits.Select(l => Array.IndexOf(l, l.Max())).ToArray();
            batchLogits = host.Forward(next.Select((t, r) => new ForwardRow(batched[r], [t])).ToArray());
            singleLogits = next.Select((t, r) => host.Forward([new ForwardRow(single[r], [t])])[0]).ToArray();
        }

        Assert.Equal(single.Select(c => c.Length), batched.Select(c => c.Length));
    }

    [Fact]
    public void Feeding_a_prompt_in_pieces_equals_feeding_it_at_once_and_truncation_rewinds()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        int[] prompt = [11, 250, 7, 400, 3, 98];
        var whole = host.Forward([new ForwardRow(host.CreateCache(), prompt)])[0];

        var cache = host.CreateCache();
        host.Forward([new ForwardRow(cache, prompt[..2])]);
        host.Forward([new ForwardRow(cache, prompt[2..5])]);
        AssertClose(whole, host.Forward([new ForwardRow(cache, prompt[5..])])[0], "pieces");
        Assert.Equal(6, cache.Length);

        cache.Truncate(3);
        AssertClose(whole, host.Forward([new ForwardRow(cache, prompt[3..])])[0], "after truncation");
    }

    [Fact]
    public void Decode_steps_copy_no_cache_bytes_only_joining_and_leaving_do()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        using var reference = ModelHost.Load(TestPaths.TinyGpt2);
        var perToken = host.Io.BytesPerToken;
        int[][] prompts = [[5, 17, 300], [42], [7, 8, 9, 10, 11, 12, 13], [999, 1]];
        var batched = prompts.Select(_ => host.CreateCache()).ToArray();
        var single = prompts.Select(_ => reference.CreateCache()).ToArray();
        var logits = host.Forward(prompts.Select((p, r) => new ForwardRow(batched[r], p)).ToArray());
        var expected = prompts.Select((p, r) => reference.Forward([new ForwardRow(single[r], p)])[0]).ToArray();
        // unequal prompts are left-padded inside the new positions, so they are written to each row's own storage
        Assert.Equal(prompts.Sum(p => p.Length) * perToken, host.KvBytesCopied);

        long Step(int[] rows)
        {
            var before = host.KvBytesCopied;
            var next = rows.Select(r => Array.IndexOf(expected[r], expected[r].Max())).ToArray();
            var got = host.Forward(rows.Select((r, i) => new ForwardRow(batched[r], [next[i]])).ToArray());
            for (var i = 0; i < rows.Length; i++)
            {
                expected[rows[i]] = reference.Forward([new ForwardRow(single[rows[i]], [next[i]])])[0];
                AssertClose(expected[rows[i]], got[i], $"row {rows[i]} at length {batched[rows[i]].Length}");
            }

            return host.KvBytesCopied - before;
        }

        // the first batched step packs every row once; then the presents are fed back as they are
        Assert.Equal(batched.Sum(c => c.Length) * perToken, Step([0, 1, 2, 3]));
        for (var step = 0; step < 12; step++)
        {
            Assert.Equal(0, Step([0, 1, 2, 3]));
        }

        // row 1 leaves: its positions are copied out once; the other rows are repacked once, then copy nothing again
        var copiedBefore = host.KvBytesCopied;
        batched[1].Detach();
        Assert.Equal(batched[1].Length * perToken, host.KvBytesCopied - copiedBefore);
        Assert.Equal(new[] { 0, 2, 3 }.Sum(r => batched[r].Length) * perToken, Step([0, 2, 3]));
        Assert.Equal(batched[1].Length * perToken, Step([1]));
        for (var step = 0; step < 6; step++)
        {
            Assert.Equal(0, Step([0, 2, 3]));
            Assert.Equal(0, Step([1]));
        }

        Assert.Equal(single.Select(c => c.Length), batched.Select(c => c.Length));
    }

    [Fact]
    public void Context_overflow_and_unknown_ids_are_refused_before_running()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        var tooLong = Enumerable.Repeat(1, host.ContextLength + 1).ToArray();
        Assert.Equal(InferenceError.PromptTooLong, Assert.Throws<InferenceException>(() => host.Forward([new ForwardRow(host.CreateCache(), tooLong)])).Error);
        var error = Assert.Throws<InferenceException>(() => host.Forward([new ForwardRow(host.CreateCache(), [1000])]));
        Assert.Contains("1000", error.Message);
    }

    [Fact]
    public void Missing_or_corrupt_files_are_named()
    {
        var missing = Assert.Throws<InferenceException>(() => ModelHost.Load(Path.Combine(scratch, "nowhere")));
        Assert.Contains("nowhere", missing.Message);

        var empty = Directory.CreateDirectory(Path.Combine(scratch, "empty")).FullName;
        Assert.Contains("model.onnx", Assert.Throws<InferenceException>(() => ModelHost.Load(empty)).Message);

        var corrupt = Directory.CreateDirectory(Path.Combine(scratch, "corrupt")).FullName;
        File.WriteAllText(Path.Combine(corrupt, "model.onnx"), "not a model");
        var bad = Assert.Throws<InferenceException>(() => ModelHost.Load(corrupt));
        Assert.Equal(InferenceError.InvalidModel, bad.Error);
        Assert.Contains(Path.Combine(corrupt, "model.onnx"), bad.Message);

        File.WriteAllText(Path.Combine(corrupt, "config.json"), "{ broken");
        Assert.Contains("config.json", Assert.Throws<InferenceException>(() => ModelHost.Load(corrupt)).Message);
    }

    internal static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"{what}: logit {i} expected {expected[i]}, got {actual[i]}");
        }
    }
}
