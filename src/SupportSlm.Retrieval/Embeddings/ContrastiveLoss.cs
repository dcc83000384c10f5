namespace SupportSlm.Retrieval.Embeddings;

/// <summary>
/// Symmetric in-batch InfoNCE: anchor i should be closer to positive i than to every other positive in the batch (and
/// vice versa), with cosine similarities divided by a temperature. Forward and hand-written backward in double precision;
/// the gradient is proven against finite differences in the tests.
/// </summary>
public static class ContrastiveLoss
{
    /// <summary>Returns the mean loss; when <paramref name="gradient"/> is given, adds dLoss/dWeights into it and lists touched buckets.</summary>
    public static double Compute(EmbeddingModel model, IReadOnlyList<int[]> anchors, IReadOnlyList<int[]> positives, double temperature,
        double[]? gradient = null, HashSet<int>? touched = null)
    {
        var n = anchors.Count;
        if (n == 0 || positives.Count != n) throw new ArgumentException("A batch needs as many positives as anchors.");
        var d = model.Dimensions;
        var za = new double[n][];
        var zp = new double[n][];
        var ra = new double[n];
        var rp = new double[n];
        for (var i = 0; i < n; i++)
        {
            za[i] = Pool(model, anchors[i], out ra[i]);
            zp[i] = Pool(model, positives[i], out rp[i]);
        }

        var s = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                s[i, j] = Dot(za[i], zp[j]) / temperature;

        // Row softmax (anchor -> positives) and column softmax (positive -> anchors).
        var loss = 0.0;
        var rowP = new double[n, n];
        var colP = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            var max = double.NegativeInfinity;
            for (var j = 0; j < n; j++) max = Math.Max(max, s[i, j]);
            var sum = 0.0;
            for (var j = 0; j < n; j++) sum += Math.Exp(s[i, j] - max);
            var lse = max + Math.Log(sum);
            loss += lse - s[i, i];
            for (var j = 0; j < n; j++) rowP[i, j] = Math.Exp(s[i, j] - lse);
        }
        for (var j = 0; j < n; j++)
        {
            var max = double.NegativeInfinity;
            for (var i = 0; i < n; i++) max = Math.Max(max, s[i, j]);
            var sum = 0.0;
            for (var i = 0; i < n; i++) sum += Math.Exp(s[i, j] - max);
            var lse = max + Math.Log(sum);
            loss += lse - s[j, j];
            for (var i = 0; i < n; i++) colP[i, j] = Math.Exp(s[i, j] - lse);
        }
        loss /= 2.0 * n;
        if (gradient is null) return loss;

        var dza = new double[n][];
        var dzp = new double[n][];
        for (var i = 0; i < n; i++) { dza[i] = new double[d]; dzp[i] = new double[d]; }
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var ds = (rowP[i, j] + colP[i, j] - (i == j ? 2 : 0)) / (2.0 * n) / temperature;
                if (ds == 0) continue;
                for (var k = 0; k < d; k++)
                {
                    dza[i][k] += ds * zp[j][k];
                    dzp[j][k] += ds * za[i][k];
                }
            }
        }
        for (var i = 0; i < n; i++)
        {
            Backward(model, anchors[i], za[i], ra[i], dza[i], gradient, touched);
            Backward(model, positives[i], zp[i], rp[i], dzp[i], gradient, touched);
        }
        return loss;
    }

    /// <summary>z = u/|u| with u the mean of the feature rows.</summary>
    private static double[] Pool(EmbeddingModel model, int[] features, out double norm)
    {
        var d = model.Dimensions;
        var u = new double[d];
        foreach (var f in features)
        {
            var row = f * d;
            for (var k = 0; k < d; k++) u[k] += model.Weights[row + k];
        }
        for (var k = 0; k < d; k++) u[k] /= features.Length;
        norm = Math.Sqrt(Dot(u, u));
        if (norm > 0) for (var k = 0; k < d; k++) u[k] /= norm;
        return u;
    }

    /// <summary>du = (dz - z (z . dz)) / |u|, then each feature row receives du / count.</summary>
    private static void Backward(EmbeddingModel model, int[] features, double[] z, double norm, double[] dz, double[] gradient, HashSet<int>? touched)
    {
        if (norm == 0) return;
        var d = model.Dimensions;
        var zdz = Dot(z, dz);
        var du = new double[d];
        var scale = 1.0 / (norm * features.Length);
        for (var k = 0; k < d; k++) du[k] = (dz[k] - z[k] * zdz) * scale;
        foreach (var f in features)
        {
            touched?.Add(f);
            var row = f * d;
            for (var k = 0; k < d; k++) gradient[row + k] += du[k];
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var k = 0; k < a.Length; k++) sum += a[k] * b[k];
        return sum;
    }
}
