using SupportSlm.Onnx.Model;
using SupportSlm.Onnx.Protobuf;

namespace SupportSlm.Onnx.Tests;

/// <summary>Our ONNX writer's bytes read back field for field, and typed tensors survive the trip.</summary>
public sealed class ModelFileTests
{
    [Fact]
    public void Builder_output_round_trips_through_the_reader()
    {
        var g = new OnnxGraphBuilder("decoder", opset: 23) { IrVersion = 11 };
        g.UseOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
        g.Metadata["supportslm.tokenizer"] = "bpe-v1";
        var ids = g.Input("input_ids", TensorElementType.Int64, "batch", "seq");
        var embedding = g.Initializer("embed", Data.Random(10 * 4, seed: 50), 10, 4);
        g.Initializer("half", new[] { (Half)0.5f, (Half)(-1f) }, 2);
        g.Initializer("q8", new sbyte[] { -3, 4 }, 2);
        var hidden = g.Gather(embedding, ids);
        g.Output(g.Softmax(hidden), TensorElementType.Float, "batch", "seq", 4);

        var model = OnnxModelFile.Parse(g.ToBytes());
        Assert.Equal(11, model.IrVersion);
        Assert.Equal("SupportSlm", model.ProducerName);
        Assert.Equal([("", 23L), ("com.microsoft", 1L)], model.OpsetImport.Select(o => (o.Domain, o.Version)).OrderBy(o => o.Domain));
        Assert.Equal("bpe-v1", model.MetadataProps.Single().Value);
        Assert.Equal("decoder", model.Graph.Name);
        Assert.Equal(["Gather", "Softmax"], model.Graph.Node.Select(n => n.OpType));
        var softmax = model.Graph.Node[1];
        Assert.Equal(AttributeProto.Types.AttributeType.Int, softmax.Attribute.Single().Type);
        Assert.Equal(-1, softmax.Attribute.Single().I);
        Assert.Equal(["batch", "seq"], model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam));
        Assert.Equal(Data.Random(40, seed: 50), OnnxTensors.ToArray<float>(model.Graph.Initializer[0]));
        Assert.Equal([(Half)0.5f, (Half)(-1f)], OnnxTensors.ToArray<Half>(model.Graph.Initializer[1]));
        Assert.Equal([-3, 4], OnnxTensors.ToArray<sbyte>(model.Graph.Initializer[2]).Select(v => (int)v));
        Assert.Throws<OnnxRuntimeException>(() => OnnxTensors.ToArray<long>(model.Graph.Initializer[0]));
    }

    [Fact]
    public void Reader_decodes_typed_fields_of_a_third_party_model()
    {
        var model = OnnxModelFile.Load(TestPaths.TinyGpt2);
        Assert.Equal("onnxruntime.transformers", model.ProducerName);
        Assert.Contains(model.Graph.Node, n => n.Domain == "com.microsoft");
        var floats = model.Graph.Initializer.Where(t => t.DataType == (int)TensorElementType.Float).ToArray();
        var parameters = floats.Sum(t => OnnxTensors.ToArray<float>(t).Length);
        Assert.InRange(parameters, 100_000, 200_000); // PROVENANCE: 142,112 parameters in all

        // Re-serialising keeps the model loadable: nothing the reader does not model is dropped.
        using var session = InferenceSession.FromBytes(Google.Protobuf.MessageExtensions.ToByteArray(model));
        Assert.Equal(8, session.Inputs.Count);
    }

    [Fact]
    public void Typed_fields_are_decoded_when_raw_data_is_absent()
    {
        var tensor = new TensorProto { Name = "t", DataType = (int)TensorElementType.Int8 };
        tensor.Dims.Add(3);
        tensor.Int32Data.AddRange([-1, 0, 127]);
        Assert.Equal(new sbyte[] { -1, 0, 127 }, OnnxTensors.ToArray<sbyte>(tensor));

        var flags = new TensorProto { Name = "b", DataType = (int)TensorElementType.Bool };
        flags.Dims.Add(3);
        flags.Int32Data.AddRange([1, 0, 1]);
        Assert.Equal([true, false, true], OnnxTensors.ToArray<bool>(flags));
        Assert.Equal([false, true], OnnxTensors.ToArray<bool>(OnnxTensors.Create("raw", new[] { false, true }.AsSpan(), [2])));

        var floats = new TensorProto { Name = "f", DataType = (int)TensorElementType.Float };
        floats.Dims.AddRange([2]);
        floats.FloatData.AddRange([1.5f, -2f]);
        Assert.Equal([1.5f, -2f], OnnxTensors.ToArray<float>(floats));

        floats.Dims[0] = 3;
        Assert.Throws<OnnxRuntimeException>(() => OnnxTensors.ToArray<float>(floats));
    }
}
