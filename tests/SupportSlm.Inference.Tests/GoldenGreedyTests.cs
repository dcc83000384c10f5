using SupportSlm.Inference.Models;

namespace SupportSlm.Inference.Tests;

/// <summary>
/// onnxruntime-genai's own C API test (GreedySearchGptFp32CAPI) on tiny-random-gpt2-fp32: the batch
/// {0,0,0,52} / {0,0,195,731}, greedy to length 10. genai derives the attention mask from pad_token_id (98), which
/// these rows do not contain, so every position is real (mask 1, positions 0..3): feeding the rows as given
/// reproduces its logits, and masking the zeros does not (checked: sample 0 becomes -0.1191).
/// Expected sequences and logit samples are the values that test asserts.
/// </summary>
public sealed class GoldenGreedyTests
{
    private static readonly float[] PromptLogits =
        [-0.12675379f, -0.04443946f, 0.14492269f, 0.03021223f, -0.03212897f, 0.2938929f, -0.10538938f, -0.00226692f, 0.12050669f, -0.10622668f];

    private static readonly float[] FirstDecodeLogits =
        [0.03742531f, -0.05752287f, 0.14159015f, 0.04210977f, -0.1484456f, 0.3041716f, -0.08701379f, -0.03778192f, 0.07471392f, -0.02049096f];

    [Fact]
    public void Discovers_the_legacy_gpt2_convention_and_configs()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        Assert.Equal(KvConvention.StackedPerLayer, host.Io.Convention);
        Assert.Equal((5, 4, 8, 1000), (host.Io.Layers, host.Io.KvHeads, host.Io.HeadSize, host.VocabularySize));
        Assert.Equal(Onnx.TensorElementType.Int32, host.Io.IdType);
        Assert.Equal(512, host.ContextLength);
        Assert.Equal([98], host.EosTokenIds);
        Assert.Equal(98, host.PadTokenId);
        Assert.Equal(5 * 2 * 4 * 8 * 4, host.Io.BytesPerToken);
    }

    [Fact]
    public void Padded_batch_reproduces_onnxruntime_genai_logits_and_greedy_sequences()
    {
        using var host = ModelHost.Load(TestPaths.TinyGpt2);
        int[][] prompts = [[0, 0, 0, 52], [0, 0, 195, 731]];
        var caches = prompts.Select(_ => host.CreateCache()).ToArray();
        var logits = host.Forward(prompts.Select((p, r) => new ForwardRow(caches[r], p)).ToArray());
        AssertSampled(PromptLogits, logits);

        var sequences = prompts.Select(p => p.ToList()).ToArray();
        for (var step = 0; sequences[0].Count < 10; step++)
        {
            var next = logits.Select(ArgMax).ToArray();
            for (var r = 0; r < 2; r++)
            {
                sequences[r].Add(next[r]);
            }

            if (sequences[0].Count == 10)
            {
                break;
            }

            logits = host.Forward(next.Select((t, r) => new ForwardRow(caches[r], [t])).ToArray());
            if (step == 0)
            {
                AssertSampled(FirstDecodeLogits, logits);
            }
        }

        Assert.Equal([0, 0, 0, 52, 204, 204, 204, 204, 204, 204], sequences[0]);
        Assert.Equal([0, 0, 195, 731, 731, 114, 114, 114, 114, 114], sequences[1]);
    }

    /// <summary>The reference samples every 200th value of the flattened [batch, vocab] last-token logits.</summary>
    private static void AssertSampled(float[] expected, float[][] logits)
    {
        var flat = logits.SelectMany(l => l).ToArray();
        var sampled = Enumerable.Range(0, expected.Length).Select(i => flat[i * 200]).ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - sampled[i]) <= 1e-5f, $"logit sample {i}: expected {expected[i]}, got {sampled[i]}");
        }
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }

        return best;
    }
}
