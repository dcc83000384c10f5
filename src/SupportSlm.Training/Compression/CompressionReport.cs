using SupportSlm.Training.Data;

namespace SupportSlm.Training.Compression;

/// <summary>One line per compression: held-out perplexity before and after, and the relative change it costs.</summary>
public static class CompressionReport
{
    public sealed record Row(string Method, double Perplexity, double BasePerplexity)
    {
        public double RelativeChange => Perplexity / BasePerplexity - 1;
        public override string ToString() => $"{Method,-28} perplexity {Perplexity,9:F3}  (base {BasePerplexity:F3}, {RelativeChange:+0.00%;-0.00%})";
    }

    public static IReadOnlyList<Row> Measure(LlamaModel<float> model, TokenShard eval, int bits, int blockSize, double prune, int seqLen, int batches)
    {
        double Ppl(LlamaModel<float> m) => Math.Exp(Trainer.Evaluate(m, null, eval, 8, seqLen, batches));
        double basePpl = Ppl(model);
        var rows = new List<Row>
        {
            new("float32 (base)", basePpl, basePpl),
            new($"int{bits} block {blockSize}", Ppl(WeightQuantizer.SimulateQuantization(model, bits, blockSize)), basePpl),
        };
        if (prune > 0)
        {
            var pruned = WeightQuantizer.Prune(model, prune);
            rows.Add(new($"magnitude prune {prune:P0}", Ppl(pruned), basePpl));
            rows.Add(new($"prune {prune:P0} + int{bits}", Ppl(WeightQuantizer.SimulateQuantization(pruned, bits, blockSize)), basePpl));
        }
        return rows;
    }
}
