using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>Every supported element type crosses the binding both ways (zero-copy input, ORT-allocated output).</summary>
public sealed class ElementTypeTests
{
    [Fact]
    public void Float_roundtrips() => RoundTrip([1.5f, -2.25f, float.MaxValue, 0f]);

    [Fact]
    public void Float16_roundtrips() => RoundTrip([(Half)1.5f, (Half)(-2.25f), Half.MaxValue, Half.Epsilon]);

    [Fact]
    public void BFloat16_roundtrips() => RoundTrip([(BFloat16)1.5f, (BFloat16)(-3e30f), (BFloat16)1e-30f, (BFloat16)0f]);

    [Fact]
    public void Int64_roundtrips() => RoundTrip([long.MinValue, -1L, 0L, long.MaxValue]);

    [Fact]
    public void Int32_roundtrips() => RoundTrip([int.MinValue, -1, 0, int.MaxValue]);

    [Fact]
    public void Int8_roundtrips() => RoundTrip([sbyte.MinValue, (sbyte)-1, (sbyte)0, sbyte.MaxValue]);

    [Fact]
    public void UInt8_roundtrips() => RoundTrip([(byte)0, (byte)1, (byte)128, byte.MaxValue]);

    [Fact]
    public void Bool_roundtrips() => RoundTrip([true, false, false, true]);

    [Fact]
    public void BFloat16_cast_to_float_is_exact_and_rounding_is_to_nearest_even()
    {
        var g = new OnnxGraphBuilder();
        g.Output(g.Cast(g.Input("x", TensorElementType.BFloat16, 4), TensorElementType.Float), TensorElementType.Float, 4);
        using var session = Data.Session(g);
        float[] values = [1f, 1.00390625f /* halfway: rounds to even 1 */, 1.01171875f /* halfway: rounds up */, -2.5f];
        using var input = OrtValue.CreateTensor(values.Select(BFloat16.FromSingle).ToArray(), 4);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Assert.Equal([1f, 1f, 1.015625f, -2.5f], result[0].ToArray<float>());
    }

    [Fact]
    public void Bool_condition_drives_Where()
    {
        var g = new OnnxGraphBuilder();
        var c = g.Input("c", TensorElementType.Bool, 4);
        var a = g.Input("a", TensorElementType.Float, 4);
        var b = g.Input("b", TensorElementType.Float, 4);
        g.Output(g.Where(c, a, b), TensorElementType.Float, 4);
        using var session = Data.Session(g);
        using var ct = OrtValue.CreateTensor([true, false, true, false], 4);
        using var at = OrtValue.CreateTensor([1f, 2f, 3f, 4f], 4);
        using var bt = OrtValue.CreateTensor([10f, 20f, 30f, 40f], 4);
        using var result = session.Run(["c", "a", "b"], [ct, at, bt], [session.Outputs[0].Name]);
        Assert.Equal([1f, 20f, 3f, 40f], result[0].ToArray<float>());
    }

    [Fact]
    public void Input_tensor_is_zero_copy_over_managed_memory()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", TensorElementType.Float, 3);
        g.Output(g.Mul(x, g.Initializer("two", new[] { 2f }, 1)), TensorElementType.Float, 3);
        using var session = Data.Session(g);
        var buffer = new[] { 1f, 2f, 3f };
        using var input = OrtValue.CreateTensor(buffer, 3);
        buffer[1] = 50f; // visible to ORT because the tensor is the managed array itself
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Assert.Equal([2f, 100f, 6f], result[0].ToArray<float>());
        input.GetTensorMutableData<float>()[0] = 7f;
        Assert.Equal(7f, buffer[0]);
    }

    private static void RoundTrip<T>(T[] values) where T : unmanaged
    {
        var type = TensorElementTypes.Of<T>();
        var g = new OnnxGraphBuilder();
        g.Output(g.Op("Identity", [g.Input("x", type, "n")]), type, "n");
        using var session = Data.Session(g);
        Assert.Equal(type, session.Inputs[0].ElementType);
        using var input = OrtValue.CreateTensor(values, values.Length);
        Assert.Equal(type, input.ElementType);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name]);
        Assert.Equal(type, result[0].ElementType);
        Assert.Equal([(long)values.Length], result[0].GetShape());
        Assert.Equal(values, result[0].ToArray<T>());
    }
}
