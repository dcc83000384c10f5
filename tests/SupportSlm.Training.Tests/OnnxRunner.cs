using SupportSlm.Onnx;

namespace SupportSlm.Training.Tests;

/// <summary>One run of an exported decoder with explicit Optimum-convention inputs, for batches with left padding.</summary>
internal static class OnnxRunner
{
    /// <param name="rows">Equal-length token rows (padding already in place on the left).</param>
    /// <param name="leftPadding">Pad tokens at the start of each row's whole history.</param>
    /// <param name="cache">The previous run, whose present.* become past_key_values.*; null for the first run.</param>
    public static RunResult Run(InferenceSession session, LlamaConfig c, int[][] rows, int[] leftPadding, RunResult? cache = null)
    {
        int batch = rows.Length, seq = rows[0].Length;
        int past = cache is null ? 0 : (int)cache[1].GetShape()[2];
        int total = past + seq;
        var ids = new long[batch * seq];
        var positions = new long[batch * seq];
        var mask = new long[batch * total];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < total; j++) mask[b * total + j] = j >= leftPadding[b] ? 1 : 0;
            for (int i = 0; i < seq; i++)
            {
                ids[b * seq + i] = rows[b][i];
                positions[b * seq + i] = Math.Max(0, past + i - leftPadding[b]);
            }
        }
        var names = new List<string> { "input_ids", "attention_mask", "position_ids" };
        var values = new List<OrtValue> { OrtValue.CreateTensor(ids, batch, seq), OrtValue.CreateTensor(mask, batch, total), OrtValue.CreateTensor(positions, batch, seq) };
        var empty = new List<OrtValue>();
        for (int l = 0; l < c.Layers; l++)
            foreach (var (kind, index) in new[] { ("key", 1 + 2 * l), ("value", 2 + 2 * l) })
            {
                names.Add($"past_key_values.{l}.{kind}");
                if (cache is not null) { values.Add(cache[index]); continue; }
                var zero = OrtValue.AllocateTensor(TensorElementType.Float, batch, c.KvHeads, 0, c.HeadSize);
                empty.Add(zero);
                values.Add(zero);
            }
        string[] outputs = ["logits", .. Enumerable.Range(0, c.Layers).SelectMany(l => new[] { $"present.{l}.key", $"present.{l}.value" })];
        try
        {
            return session.Run(names.ToArray(), values.ToArray(), outputs);
        }
        finally
        {
            foreach (var v in values.Take(3).Concat(empty)) v.Dispose();
        }
    }
}
