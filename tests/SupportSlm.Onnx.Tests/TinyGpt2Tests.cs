using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>A third-party model (onnxruntime-genai's tiny random GPT-2, exported by onnxruntime.transformers with
/// contrib ops): 5 layers, 4 heads, head size 8, vocabulary 1000, past/present as [2, batch, 4, len, 8]. Its id, position
/// and mask inputs are int32 (the file says so; its PROVENANCE.md says int64, which ORT rejects).</summary>
public sealed class TinyGpt2Tests
{
    private const int Layers = 5, Heads = 4, HeadSize = 8, Vocab = 1000;

    [Fact]
    public void Metadata_matches_the_model_file()
    {
        using var session = InferenceSession.FromFile(TestPaths.TinyGpt2);
        Assert.Equal(["input_ids", "position_ids", "attention_mask", "past_0", "past_1", "past_2", "past_3", "past_4"],
            session.Inputs.Select(i => i.Name));
        Assert.Equal(["logits", "present_0", "present_1", "present_2", "present_3", "present_4"], session.Outputs.Select(o => o.Name));
        Assert.All(session.Inputs.Take(3), i => Assert.Equal(TensorElementType.Int32, i.ElementType));
        Assert.Equal(["batch_size", "total_seq_len"], session.Inputs[2].SymbolicDimensions);
        Assert.All(session.Inputs.Skip(3), i =>
        {
            Assert.Equal(TensorElementType.Float, i.ElementType);
            Assert.Equal([2L, -1, Heads, -1, HeadSize], i.Shape);
            Assert.Equal([null, "batch_size", null, "past_seq_len", null], i.SymbolicDimensions);
        });
        Assert.Equal([-1L, -1, Vocab], session.Outputs[0].Shape);

        // Our protobuf reader sees the same graph interface, symbols included.
        var model = OnnxModelFile.Load(TestPaths.TinyGpt2);
        Assert.Equal(6, model.IrVersion);
        Assert.Contains(model.OpsetImport, o => o.Domain == "com.microsoft" && o.Version == 1);
        var declared = model.Graph.Input.Where(i => model.Graph.Initializer.All(t => t.Name != i.Name)).ToArray();
        Assert.Equal(session.Inputs.Select(i => i.Name), declared.Select(i => i.Name));
        foreach (var (info, proto) in session.Inputs.Zip(declared))
        {
            Assert.Equal((int)info.ElementType, proto.Type.TensorType.ElemType);
            var dims = proto.Type.TensorType.Shape.Dim;
            Assert.Equal(dims.Select(d => d.HasDimParam ? d.DimParam : null), info.SymbolicDimensions);
            Assert.Equal(dims.Select(d => d.HasDimValue ? d.DimValue : -1), info.Shape);
        }
    }

    [Fact]
    public void Forward_returns_logits_and_presents_of_the_right_shapes()
    {
        using var session = InferenceSession.FromFile(TestPaths.TinyGpt2);
        int[] ids = [98, 5, 17, 98, 400, 2];
        using var result = Step(session, ids, batch: 2, past: null, pastLength: 0);
        Assert.Equal([2L, 3, Vocab], result["logits"].GetShape());
        for (var layer = 0; layer < Layers; layer++)
        {
            Assert.Equal([2L, 2, Heads, 3, HeadSize], result[$"present_{layer}"].GetShape());
        }

        var logits = result["logits"].GetTensorData<float>();
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(logits[..Vocab].ToArray(), logits[Vocab..(2 * Vocab)].ToArray());
    }

    [Fact]
    public void Decoding_with_the_kv_cache_equals_the_full_forward_pass()
    {
        using var session = InferenceSession.FromFile(TestPaths.TinyGpt2);
        int[] prompt = [98, 11, 250, 7];
        using var full = Step(session, prompt, batch: 1, past: null, pastLength: 0);
        using var prefix = Step(session, prompt[..3], batch: 1, past: null, pastLength: 0);
        var presents = Enumerable.Range(0, Layers).Select(l => prefix[$"present_{l}"]).ToArray();
        using var next = Step(session, prompt[3..], batch: 1, past: presents, pastLength: 3);

        var expected = full["logits"].GetTensorData<float>()[(3 * Vocab)..].ToArray();
        Data.AssertClose(expected, next["logits"].GetTensorData<float>(), 1e-4f, "last-position logits");
        Data.AssertClose(full["present_4"].GetTensorData<float>(), next["present_4"].GetTensorData<float>(), 1e-4f, "present_4");
    }

    /// <summary>Feeds <paramref name="ids"/> (batch-major) after <paramref name="pastLength"/> cached positions.</summary>
    private static RunResult Step(InferenceSession session, int[] ids, int batch, OrtValue[]? past, int pastLength)
    {
        var seq = ids.Length / batch;
        var total = pastLength + seq;
        var positions = Enumerable.Range(0, batch).SelectMany(_ => Enumerable.Range(pastLength, seq)).ToArray();
        var mask = Enumerable.Repeat(1, batch * total).ToArray();
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensor(ids, batch, seq),
            OrtValue.CreateTensor(positions, batch, seq),
            OrtValue.CreateTensor(mask, batch, total),
        };
        var created = values.ToList();
        for (var layer = 0; layer < Layers; layer++)
        {
            var value = past?[layer] ?? OrtValue.CreateTensor(Array.Empty<float>(), 2, batch, Heads, 0, HeadSize);
            if (past is null)
            {
                created.Add(value);
            }

            values.Add(value);
        }

        try
        {
            return session.Run(session.Inputs.Select(i => i.Name).ToArray(), values.ToArray(), session.OutputNames.ToArray());
        }
        finally
        {
            created.ForEach(v => v.Dispose());
        }
    }
}
