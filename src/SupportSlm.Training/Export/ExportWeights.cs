namespace SupportSlm.Training.Export;

/// <summary>
/// Weights as the exported graph wants them. Our q/k projections rotate interleaved pairs (llama2.c); the export
/// rotates halves (Hugging Face), so their output rows — and the rows of a LoRA B on q/k — are permuted per head.
/// </summary>
internal static class ExportWeights
{
    /// <summary>The projection's weight [out, in], q/k rows in rotate-half order.</summary>
    public static float[] Projection(LlamaModel<float> model, int layer, LoraTarget target)
    {
        var c = model.Config;
        var o = model.Layout.Layers[layer];
        var (inDim, outDim) = LoraAdapter<float>.Dimensions(c, target);
        int offset = target switch
        {
            LoraTarget.Q => o.Wq, LoraTarget.K => o.Wk, LoraTarget.V => o.Wv, LoraTarget.O => o.Wo,
            LoraTarget.Gate => o.WGate, LoraTarget.Up => o.WUp, _ => o.WDown,
        };
        return ToHalfOrder(c, target, model.Weights.AsSpan(offset, inDim * outDim), inDim);
    }

    /// <summary>Rows [out, cols] of a q/k output permuted to rotate-half order; other targets copied unchanged.</summary>
    public static float[] ToHalfOrder(LlamaConfig c, LoraTarget target, ReadOnlySpan<float> rows, int cols) => target switch
    {
        LoraTarget.Q => RopeLayout.InterleavedToHalf(rows, c.Heads, c.HeadSize, cols),
        LoraTarget.K => RopeLayout.InterleavedToHalf(rows, c.KvHeads, c.HeadSize, cols),
        _ => rows.ToArray(),
    };
}
