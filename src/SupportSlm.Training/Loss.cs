using System.Numerics;
using SupportSlm.Training.Kernels;

namespace SupportSlm.Training;

/// <summary>Losses on logits [rows, vocab]. Targets &lt; 0 are ignored (prompt / padding tokens in chat data).</summary>
public static class Loss
{
    public const int Ignore = -1;

    /// <summary>
    /// Mean cross-entropy over rows whose target is ≥ 0. When <paramref name="dLogits"/> is given it receives
    /// ∂loss/∂logits = (softmax − onehot)/count (zero on ignored rows).
    /// </summary>
    public static T CrossEntropy<T>(T[] logits, ReadOnlySpan<int> targets, int vocab, T[]? dLogits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = targets.Length;
        int count = CountTargets(targets, vocab);
        var rowLoss = new T[rows];
        int[] tg = targets.ToArray();
        T invCount = count == 0 ? T.Zero : T.One / T.CreateChecked(count);
        Parallelism.For(0, rows, n =>
        {
            int target = tg[n];
            var z = logits.AsSpan(n * vocab, vocab);
            if (target < 0)
            {
                dLogits?.AsSpan(n * vocab, vocab).Clear();
                return;
            }
            T max = Max(z);
            var probs = dLogits is null ? new T[vocab] : dLogits.AsSpan(n * vocab, vocab);
            VectorOps.ExpShifted<T>(z, max, probs);
            T sum = VectorOps.Sum<T>(probs);
            rowLoss[n] = T.Log(sum) + max - z[target];
            if (dLogits is null) return;
            // softmax/count, minus 1/count at the target
            T scale = invCount / sum;
            for (int i = 0; i < vocab; i++) probs[i] *= scale;
            probs[target] -= invCount;
        });
        T total = T.Zero;
        for (int n = 0; n < rows; n++) total += rowLoss[n];
        return total * invCount;
    }

    /// <summary>
    /// Knowledge distillation (Hinton et al.): (1−α)·CE(student, targets) + α·τ²·KL(softmax(teacher/τ) ‖ softmax(student/τ)),
    /// both averaged over the rows whose target is ≥ 0. Teacher logits are constants (no gradient flows to them).
    /// </summary>
    public static T Distillation<T>(T[] studentLogits, T[] teacherLogits, ReadOnlySpan<int> targets, int vocab,
        double temperature, double alpha, T[]? dLogits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (temperature <= 0 || alpha < 0 || alpha > 1)
            throw new TrainingException($"Distillation needs temperature > 0 and 0 ≤ alpha ≤ 1 (got τ={temperature}, α={alpha}).");
        if (teacherLogits.Length != studentLogits.Length)
            throw new TrainingException($"Teacher logits ({teacherLogits.Length}) and student logits ({studentLogits.Length}) differ in size; do teacher and student share a vocabulary?");
        int rows = targets.Length;
        T ce = CrossEntropy(studentLogits, targets, vocab, dLogits);
        T a = T.CreateChecked(alpha), tau = T.CreateChecked(temperature);
        if (dLogits is not null)
            for (int i = 0; i < rows * vocab; i++) dLogits[i] *= T.One - a;
        int count = CountTargets(targets, vocab);
        if (count == 0) return ce * (T.One - a);
        T invCount = T.One / T.CreateChecked(count);
        var rowLoss = new T[rows];
        int[] tg = targets.ToArray();
        Parallelism.For(0, rows, n =>
        {
            if (tg[n] < 0) return;
            var s = studentLogits.AsSpan(n * vocab, vocab);
            var t = teacherLogits.AsSpan(n * vocab, vocab);
            T sLogSum = LogSumExp(s, tau), tLogSum = LogSumExp(t, tau);
            T kl = T.Zero;
            for (int i = 0; i < vocab; i++)
            {
                T logP = t[i] / tau - tLogSum, logQ = s[i] / tau - sLogSum;
                T p = T.Exp(logP);
                kl += p * (logP - logQ);
                // ∂(τ²·KL)/∂s_i = τ·(q_i − p_i)
                if (dLogits is not null) dLogits[n * vocab + i] += a * tau * (T.Exp(logQ) - p) * invCount;
            }
            rowLoss[n] = kl * tau * tau;
        });
        T total = T.Zero;
        for (int n = 0; n < rows; n++) total += rowLoss[n];
        return (T.One - a) * ce + a * total * invCount;
    }

    private static int CountTargets(ReadOnlySpan<int> targets, int vocab)
    {
        int count = 0;
        foreach (int t in targets)
        {
            if (t >= vocab) throw new TrainingException($"Target token {t} is outside the model vocabulary ({vocab}); the tokenizer and the model do not match.");
            if (t >= 0) count++;
        }
        return count;
    }

    private static T Max<T>(ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.NegativeInfinity;
        foreach (T v in z) if (v > max) max = v;
        return max;
    }

    private static T LogSumExp<T>(ReadOnlySpan<T> z, T tau) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = Max(z) / tau, sum = T.Zero;
        foreach (T v in z) sum += T.Exp(v / tau - max);
        return T.Log(sum) + max;
    }
}
