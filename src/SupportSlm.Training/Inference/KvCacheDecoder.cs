using SupportSlm.Training.Kernels;

namespace SupportSlm.Training.Inference;

/// <summary>
/// Token-at-a-time inference with a key/value cache (what llama2.c run.c does): each step runs one token through
/// the decoder, appends its rotated k and its v to the cache, and attends over positions 0..pos.
/// Uses the model's weights as they are (merge a LoRA adapter first).
/// </summary>
public sealed class KvCacheDecoder : ITokenDecoder
{
    private readonly LlamaModel<float> _model;
    private readonly float[] _keyCache, _valueCache;   // [layers, maxSeqLen, kvDim]
    private readonly float[] _x, _xn, _q, _k, _v, _att, _tmp, _gate, _up, _scores, _logits;
    private readonly float[] _cos, _sin;

    public KvCacheDecoder(LlamaModel<float> model)
    {
        _model = model;
        var c = model.Config;
        _keyCache = new float[c.Layers * c.MaxSeqLen * c.KvDim];
        _valueCache = new float[c.Layers * c.MaxSeqLen * c.KvDim];
        _x = new float[c.Dim]; _xn = new float[c.Dim]; _q = new float[c.Dim]; _att = new float[c.Dim]; _tmp = new float[c.Dim];
        _k = new float[c.KvDim]; _v = new float[c.KvDim];
        _gate = new float[c.HiddenDim]; _up = new float[c.HiddenDim];
        _scores = new float[c.MaxSeqLen];
        _logits = new float[c.VocabSize];
        (_cos, _sin) = LlamaLayers.RopeTables<float>(c.MaxSeqLen, c.HeadSize, c.RopeTheta);
    }

    /// <summary>Logits [V] for <paramref name="token"/> at <paramref name="pos"/>; positions must be fed in order 0, 1, 2, ….</summary>
    public float[] Step(int token, int pos)
    {
        var c = _model.Config;
        var layout = _model.Layout;
        var w = _model.Weights;
        if ((uint)pos >= (uint)c.MaxSeqLen) throw new TrainingException($"Position {pos} is past the model's context of {c.MaxSeqLen} tokens.");
        if ((uint)token >= (uint)c.VocabSize) throw new TrainingException($"Token id {token} is outside the model vocabulary ({c.VocabSize}); the tokenizer and the model do not match.");
        int d = c.Dim, kv = c.KvDim, hs = c.HeadSize, group = c.Heads / c.KvHeads;
        w.AsSpan(layout.Embedding + token * d, d).CopyTo(_x);
        for (int l = 0; l < c.Layers; l++)
        {
            var o = layout.Layers[l];
            RmsNorm(_x, w.AsSpan(o.AttnNorm, d), _xn);
            MatVec(w, o.Wq, _xn, _q);
            MatVec(w, o.Wk, _xn, _k);
            MatVec(w, o.Wv, _xn, _v);
            LlamaLayers.Rope<float>(_q, c.MaxSeqLen, c.Heads, hs, _cos, _sin, inverse: false, firstPosition: pos);
            LlamaLayers.Rope<float>(_k, c.MaxSeqLen, c.KvHeads, hs, _cos, _sin, inverse: false, firstPosition: pos);
            int cacheBase = l * c.MaxSeqLen * kv;
            _k.CopyTo(_keyCache, cacheBase + pos * kv);
            _v.CopyTo(_valueCache, cacheBase + pos * kv);
            float scale = 1f / MathF.Sqrt(hs);
            for (int h = 0; h < c.Heads; h++)
            {
                var qh = _q.AsSpan(h * hs, hs);
                int kvh = h / group;
                float max = float.NegativeInfinity;
                for (int s = 0; s <= pos; s++)
                {
                    _scores[s] = VectorOps.Dot<float>(qh, _keyCache.AsSpan(cacheBase + s * kv + kvh * hs, hs)) * scale;
                    max = MathF.Max(max, _scores[s]);
                }
                float sum = 0;
                for (int s = 0; s <= pos; s++) { _scores[s] = MathF.Exp(_scores[s] - max); sum += _scores[s]; }
                var outHead = _att.AsSpan(h * hs, hs);
                outHead.Clear();
                for (int s = 0; s <= pos; s++)
                    VectorOps.Axpy(_scores[s] / sum, _valueCache.AsSpan(cacheBase + s * kv + kvh * hs, hs), outHead);
            }
            MatVec(w, o.Wo, _att, _tmp);
            VectorOps.Add<float>(_tmp, _x);
            RmsNorm(_x, w.AsSpan(o.FfnNorm, d), _xn);
            MatVec(w, o.WGate, _xn, _gate);
            MatVec(w, o.WUp, _xn, _up);
            LlamaLayers.SwiGluForward<float>(_gate, _up, _gate);
            MatVec(w, o.WDown, _gate, _tmp);
            VectorOps.Add<float>(_tmp, _x);
        }
        RmsNorm(_x, w.AsSpan(layout.FinalNorm, d), _xn);
        MatVec(w, layout.Output, _xn, _logits);
        return _logits;
    }

    private void RmsNorm(float[] x, ReadOnlySpan<float> g, float[] y)
    {
        float r = 1f / MathF.Sqrt(VectorOps.Dot<float>(x, x) / x.Length + (float)_model.Config.NormEps);
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * r * g[i];
    }

    // y[j] = W[j, :]·x for W [y.Length, x.Length] at offset; rows in parallel once the matrix is big enough to pay for it.
    private static void MatVec(float[] w, int offset, float[] x, float[] y)
    {
        int cols = x.Length;
        if ((long)y.Length * cols < 1 << 18)
        {
            for (int j = 0; j < y.Length; j++) y[j] = VectorOps.Dot<float>(w.AsSpan(offset + j * cols, cols), x);
            return;
        }
        Parallelism.For(0, y.Length, j => y[j] = VectorOps.Dot<float>(w.AsSpan(offset + j * cols, cols), x));
    }
}
