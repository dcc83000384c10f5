using SupportSlm.Training;

namespace SupportSlm.Training.Tests;

/// <summary>
/// Central finite differences in float64. A coordinate passes when |analytic − numeric| ≤ 1e-3·max(|analytic|, |numeric|) + 1e-8
/// (relative error ≤ 1e-3, with an absolute floor for gradients that are zero up to rounding).
/// </summary>
internal static class GradientCheck
{
    public const double Step = 1e-6;

    public static void AssertMatches(double[] parameters, double[] analytic, Func<double> loss, string what, int? stride = null)
    {
        int step = stride ?? 1;
        int checkedCount = 0;
        for (int i = 0; i < parameters.Length; i += step)
        {
            double saved = parameters[i];
            parameters[i] = saved + Step;
            double plus = loss();
            parameters[i] = saved - Step;
            double minus = loss();
            parameters[i] = saved;
            double numeric = (plus - minus) / (2 * Step);
            double a = analytic[i];
            double tolerance = 1e-3 * Math.Max(Math.Abs(a), Math.Abs(numeric)) + 1e-8;
            Assert.True(Math.Abs(a - numeric) <= tolerance,
                $"{what}[{i}]: analytic {a:G10} vs numeric {numeric:G10} (|diff| {Math.Abs(a - numeric):G3} > {tolerance:G3})");
            checkedCount++;
        }
        Assert.True(checkedCount > 0, $"{what}: nothing checked");
        Assert.Contains(analytic, v => Math.Abs(v) > 1e-6);
    }

    public static double[] Random(int n, ulong seed, double scale = 1.0)
    {
        var rng = new DeterministicRandom(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextGaussian() * scale).ToArray();
    }

    public static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
