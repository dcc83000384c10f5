namespace SupportSlm.Onnx.Tests;

/// <summary>Plain managed implementations of the ops under test, written from the ONNX operator definitions.</summary>
internal static class Reference
{
    /// <summary>[m,k] × [k,n] row-major, accumulated in double.</summary>
    public static float[] MatMul(float[] a, float[] b, int m, int k, int n)
    {
        var y = new float[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                {
                    sum += (double)a[i * k + p] * b[p * n + j];
                }

                y[i * n + j] = (float)sum;
            }
        }

        return y;
    }

    public static float[] LayerNorm(float[] x, float[] scale, float[] bias, int rows, int cols, float epsilon)
    {
        var y = new float[x.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double mean = 0, variance = 0;
            foreach (var v in row)
            {
                mean += v;
            }

            mean /= cols;
            foreach (var v in row)
            {
                variance += (v - mean) * (v - mean);
            }

            variance /= cols;
            var inv = 1 / Math.Sqrt(variance + epsilon);
            for (var c = 0; c < cols; c++)
            {
                y[r * cols + c] = (float)((row[c] - mean) * inv * scale[c] + bias[c]);
            }
        }

        return y;
    }

    public static float[] RmsNorm(float[] x, float[] scale, int rows, int cols, float epsilon)
    {
        var y = new float[x.Length];
        for (var r = 0; r < rows; r++)
        {
            double meanSquare = 0;
            for (var c = 0; c < cols; c++)
            {
                meanSquare += (double)x[r * cols + c] * x[r * cols + c];
            }

            var inv = 1 / Math.Sqrt(meanSquare / cols + epsilon);
            for (var c = 0; c < cols; c++)
            {
                y[r * cols + c] = (float)(x[r * cols + c] * inv * scale[c]);
            }
        }

        return y;
    }

    public static float[] Softmax(float[] x, int rows, int cols)
    {
        var y = new float[x.Length];
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < cols; c++)
            {
                max = Math.Max(max, x[r * cols + c]);
            }

            double sum = 0;
            for (var c = 0; c < cols; c++)
            {
                sum += Math.Exp(x[r * cols + c] - max);
            }

            for (var c = 0; c < cols; c++)
            {
                y[r * cols + c] = (float)(Math.Exp(x[r * cols + c] - max) / sum);
            }
        }

        return y;
    }

    /// <summary>Gelu with the exact erf form: x/2 · (1 + erf(x/√2)).</summary>
    public static float[] Gelu(float[] x) => x.Select(v => (float)(0.5 * v * (1 + Erf(v / Math.Sqrt(2))))).ToArray();

    /// <summary>erf by its Maclaurin series (|x| ≤ 3) and continued-fraction erfc tail; accurate to ~1e-12 here.</summary>
    public static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        if (x <= 3)
        {
            double term = x, sum = x;
            for (var n = 1; n < 200; n++)
            {
                term *= -x * x / n;
                var add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17)
                {
                    break;
                }
            }

            return sign * 2 / Math.Sqrt(Math.PI) * sum;
        }

        // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
        double fraction = 0;
        for (var n = 60; n >= 1; n--)
        {
            fraction = n / 2.0 / (x + fraction);
        }

        return sign * (1 - Math.Exp(-x * x) / Math.Sqrt(Math.PI) / (x + fraction));
    }

    /// <summary>
    /// Scaled dot-product attention over 3-D (batch, seq, heads·head) inputs with grouped KV heads
    /// (query head h reads kv head h / (qHeads / kvHeads)), optionally causal (query i sees keys 0..i).
    /// </summary>
    public static float[] Attention(float[] q, float[] k, float[] v, int batch, int seq, int qHeads, int kvHeads, int head, bool causal)
    {
        var y = new float[batch * seq * qHeads * head];
        var scale = 1 / Math.Sqrt(head);
        var group = qHeads / kvHeads;
        for (var b = 0; b < batch; b++)
        {
            for (var h = 0; h < qHeads; h++)
            {
                var kvh = h / group;
                for (var i = 0; i < seq; i++)
                {
                    var scores = new double[seq];
                    var max = double.NegativeInfinity;
                    var visible = causal ? i + 1 : seq;
                    for (var j = 0; j < visible; j++)
                    {
                        double dot = 0;
                        for (var d = 0; d < head; d++)
                        {
                            dot += (double)q[((b * seq + i) * qHeads + h) * head + d] * k[((b * seq + j) * kvHeads + kvh) * head + d];
                        }

                        scores[j] = dot * scale;
                        max = Math.Max(max, scores[j]);
                    }

                    double sum = 0;
                    for (var j = 0; j < visible; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        sum += scores[j];
                    }

                    for (var d = 0; d < head; d++)
                    {
                        double acc = 0;
                        for (var j = 0; j < visible; j++)
                        {
                            acc += scores[j] / sum * v[((b * seq + j) * kvHeads + kvh) * head + d];
                        }

                        y[((b * seq + i) * qHeads + h) * head + d] = (float)acc;
                    }
                }
            }
        }

        return y;
    }
}
