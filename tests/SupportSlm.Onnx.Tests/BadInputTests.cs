using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>Misuse ends in an <see cref="OnnxRuntimeException"/> with ORT's code and message, never a crash.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void Corrupt_model_bytes_are_an_invalid_protobuf_error()
    {
        var bytes = Square().ToBytes();
        var corrupt = bytes[..(bytes.Length / 2)].Concat(new byte[] { 0xFF, 0xFF, 0xFF }).ToArray();
        var error = Assert.Throws<OnnxRuntimeException>(() => InferenceSession.FromBytes(corrupt));
        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
        Assert.Contains("protobuf parsing failed", error.Message);

        Assert.Equal(OrtErrorCode.InvalidProtobuf, Assert.Throws<OnnxRuntimeException>(() => OnnxModelFile.Parse(corrupt)).Code);
        Assert.Throws<OnnxRuntimeException>(() => InferenceSession.FromBytes([]));
    }

    [Fact]
    public void Missing_model_file_is_no_such_file()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => InferenceSession.FromFile("/nonexistent/model.onnx"));
        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
    }

    [Fact]
    public void Wrong_element_type_is_rejected_by_ort()
    {
        using var session = Data.Session(Square());
        using var input = OrtValue.CreateTensor(new long[] { 1, 2, 3, 4 }, 2, 2);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input], ["y"]));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.Code);
        Assert.Contains("Unexpected input data type", error.Message);
    }

    [Fact]
    public void Wrong_rank_and_wrong_fixed_dimension_are_rejected()
    {
        using var session = Data.Session(Square());
        using var rank3 = OrtValue.CreateTensor(new float[8], 2, 2, 2);
        var rankError = Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [rank3], ["y"]));
        Assert.Equal(OrtErrorCode.InvalidArgument, rankError.Code);
        Assert.Contains("Invalid rank", rankError.Message);

        using var wide = OrtValue.CreateTensor(new float[6], 2, 3);
        Assert.Contains("dimensions", Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [wide], ["y"])).Message);
    }

    [Fact]
    public void Missing_or_unknown_names_are_rejected()
    {
        using var session = Data.Session(Square());
        using var input = OrtValue.CreateTensor(new float[4], 2, 2);
        Assert.Contains("Missing Input", Assert.Throws<OnnxRuntimeException>(() => session.Run([], [], ["y"])).Message);
        Assert.Contains("Invalid input name", Assert.Throws<OnnxRuntimeException>(() => session.Run(["nope"], [input], ["y"])).Message);
        Assert.Contains("Invalid output name", Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input], ["nope"])).Message);
        Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input], []));
        Assert.Throws<OnnxRuntimeException>(() => session.Run(["x", "x"], [input], ["y"]));
        Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [null!], ["y"]));
    }

    [Fact]
    public void Disposed_session_and_disposed_values_are_reported_not_crashed_on()
    {
        var session = Data.Session(Square());
        var input = OrtValue.CreateTensor(new float[4], 2, 2);
        session.Dispose();
        session.Dispose();
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input], ["y"]));
        Assert.Contains("InferenceSession has been disposed", error.Message);

        using var live = Data.Session(Square());
        input.Dispose();
        Assert.Contains("disposed", Assert.Throws<OnnxRuntimeException>(() => live.Run(["x"], [input], ["y"])).Message);
        Assert.Throws<OnnxRuntimeException>(() => input.GetTensorData<float>());
    }

    [Fact]
    public void Buffer_shape_mismatch_and_wrong_read_type_are_caught_before_ort()
    {
        Assert.Contains("holds 6 elements", Assert.Throws<OnnxRuntimeException>(() => OrtValue.CreateTensor(new float[4], 2, 3)).Message);
        Assert.Throws<OnnxRuntimeException>(() => OrtValue.CreateTensor(new float[4], -2, -2));
        using var tensor = OrtValue.CreateTensor(new float[4], 4);
        Assert.Contains("cannot be read as Int64", Assert.Throws<OnnxRuntimeException>(() => tensor.GetTensorData<long>()).Message);
        Assert.Throws<OnnxRuntimeException>(() => OrtValue.CreateTensor(new char[2], 2));
    }

    [Fact]
    public void Invalid_graphs_are_caught_by_the_builder_or_by_ort()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", TensorElementType.Float, 2);
        Assert.Equal(OrtErrorCode.InvalidGraph, Assert.Throws<OnnxRuntimeException>(() => g.Input("x", TensorElementType.Float, 2)).Code);
        Assert.Throws<OnnxRuntimeException>(() => g.Op("Relu", ["undefined"]));
        Assert.Contains("UseOpset", Assert.Throws<OnnxRuntimeException>(() => g.Node("MatMulNBits", [x], domain: "com.microsoft")).Message);
        Assert.Throws<OnnxRuntimeException>(() => g.Output("missing", TensorElementType.Float, 2));
        Assert.Throws<OnnxRuntimeException>(() => g.Build());

        // A well-formed protobuf that ORT's checker rejects (unknown op).
        g.Output(g.Op("NoSuchOperator", [x]), TensorElementType.Float, 2);
        var error = Assert.Throws<OnnxRuntimeException>(() => InferenceSession.FromBytes(g.ToBytes()));
        Assert.Contains("NoSuchOperator", error.Message);
    }

    /// <summary>y = x · x for a fixed 2×2 float input.</summary>
    private static OnnxGraphBuilder Square()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", TensorElementType.Float, 2, 2);
        g.Node("MatMul", [x, x], outputs: ["y"]);
        g.Output("y", TensorElementType.Float, 2, 2);
        return g;
    }
}
