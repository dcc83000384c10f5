using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SupportSlm.Training.Kernels;

/// <summary>SIMD building blocks (System.Numerics.Vector&lt;T&gt;) shared by attention, norms and the optimizer.</summary>
public static class VectorOps
{
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, INumber<T>
    {
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y[..n]);
            for (int v = 0; v < xv.Length; v++) acc += xv[v] * yv[v];
            sum = Vector.Sum(acc);
            i = xv.Length * Vector<T>.Count;
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>y += alpha · x.</summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var av = new Vector<T>(alpha);
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y[..n]);
            for (int v = 0; v < xv.Length; v++) yv[v] += av * xv[v];
            i = xv.Length * Vector<T>.Count;
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>
    /// y = exp(x − shift) element-wise. float runs through System.Runtime.Intrinsics' vectorized exp (a few ulp);
    /// other types (the float64 gradient-check path) through the scalar T.Exp.
    /// </summary>
    public static void ExpShifted<T>(ReadOnlySpan<T> x, T shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, i = 0;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
        {
            var xf = MemoryMarshal.Cast<T, float>(x);
            var yf = MemoryMarshal.Cast<T, float>(y);
            var s = Vector256.Create((float)(object)shift);
            for (; i + 8 <= n; i += 8)
                Vector256.Exp(Vector256.Create(xf.Slice(i, 8)) - s).CopyTo(yf.Slice(i, 8));
        }
        for (; i < n; i++) y[i] = T.Exp(x[i] - shift);
    }

    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            foreach (var v in MemoryMarshal.Cast<T, Vector<T>>(x)) acc += v;
            sum = Vector.Sum(acc);
            i = n / Vector<T>.Count * Vector<T>.Count;
        }
        for (; i < n; i++) sum += x[i];
        return sum;
    }

    /// <summary>y += x.</summary>
    public static void Add<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y[..n]);
            for (int v = 0; v < xv.Length; v++) yv[v] += xv[v];
            i = xv.Length * Vector<T>.Count;
        }
        for (; i < n; i++) y[i] += x[i];
    }
}
