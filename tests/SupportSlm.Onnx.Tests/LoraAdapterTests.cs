using System.Buffers.Binary;
using SupportSlm.Onnx.Adapters;
using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>y = x·W + (x·A)·B where A, B are graph inputs whose defaults have rank 0 (no adapter = base model).</summary>
public sealed class LoraAdapterTests : IDisposable
{
    private const int Dim = 4, Rank = 2, Batch = 3;
    private readonly float[] w = Data.Random(Dim * Dim, seed: 30);
    private readonly float[] a = Data.Random(Dim * Rank, seed: 31);
    private readonly float[] b = Data.Random(Rank * Dim, seed: 32);
    private readonly float[] x = Data.Random(Batch * Dim, seed: 33);
    private readonly string directory = Directory.CreateTempSubdirectory("supportslm-lora-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Adapter_file_changes_the_result_to_the_lora_reference()
    {
        using var session = LoraSession();
        var path = Path.Combine(directory, "support.onnx_adapter");
        OnnxAdapterFile.Save(Adapter(), path);

        var baseline = Run(session, options: null);
        Data.AssertClose(Reference.MatMul(x, w, Batch, Dim, Dim), baseline, 1e-5f, "without adapter");

        using var adapter = LoraAdapter.FromFile(path);
        using var options = new RunOptions();
        options.AddActiveLoraAdapter(adapter);
        var adapted = Run(session, options);
        Data.AssertClose(ExpectedWithAdapter(), adapted, 1e-5f, "with adapter");
        Assert.NotEqual(baseline, adapted);

        // The same session still serves the base model when no adapter is active.
        Data.AssertClose(baseline, Run(session, options: null), 0f, "base after adapter");
    }

    [Fact]
    public void Adapter_from_bytes_outlives_the_caller_buffer_and_the_disposed_wrapper()
    {
        using var session = LoraSession();
        var bytes = OnnxAdapterFile.Write(Adapter());
        using var options = new RunOptions();
        var adapter = LoraAdapter.FromBytes(bytes);
        options.AddActiveLoraAdapter(adapter);
        adapter.Dispose(); // the run options keep the native adapter alive
        Array.Clear(bytes);
        GC.Collect();
        Data.AssertClose(ExpectedWithAdapter(), Run(session, options), 1e-5f);
    }

    [Fact]
    public void Adapter_naming_an_unknown_input_is_rejected_by_ort()
    {
        using var session = LoraSession();
        var bogus = new OnnxAdapter([OnnxAdapterParameter.Create("not_an_input", a.AsSpan(), Dim, Rank)]);
        using var adapter = LoraAdapter.FromBytes(OnnxAdapterFile.Write(bogus));
        using var options = new RunOptions();
        options.AddActiveLoraAdapter(adapter);
        var error = Assert.Throws<OnnxRuntimeException>(() => Run(session, options));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.Code);
        Assert.Contains("not_an_input", error.Message);
    }

    [Fact]
    public void Writer_output_reads_back_with_aligned_raw_data()
    {
        var adapter = new OnnxAdapter(
        [
            OnnxAdapterParameter.Create("layer0.lora_A", a.AsSpan(), Dim, Rank),
            OnnxAdapterParameter.Create("odd", new Half[] { (Half)1, (Half)2, (Half)3 }.AsSpan(), 3),
            OnnxAdapterParameter.Create("layer0.lora_B", b.AsSpan(), Rank, Dim),
        ], AdapterVersion: 7, ModelVersion: 3);
        var bytes = OnnxAdapterFile.Write(adapter);
        Assert.Equal("TORT"u8.ToArray(), bytes[4..8]);

        var read = OnnxAdapterFile.Read(bytes);
        Assert.Equal((7, 3), (read.AdapterVersion, read.ModelVersion));
        Assert.Equal(adapter.Parameters.Select(p => (p.Name, p.DataType, string.Join(",", p.Dims))),
            read.Parameters.Select(p => (p.Name, p.DataType, string.Join(",", p.Dims))));
        Assert.Equal(a, read.Parameters[0].ToArray<float>());
        Assert.Equal(b, read.Parameters[2].ToArray<float>());

        // Every raw_data payload starts on an 8-byte boundary (force_align: 8 in ORT's schema).
        foreach (var parameter in read.Parameters)
        {
            var payload = IndexOf(bytes, parameter.RawData);
            Assert.True(payload % 8 == 0, $"{parameter.Name} raw data at byte {payload}");
            Assert.Equal((uint)parameter.RawData.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(payload - 4)));
        }
    }

    [Fact]
    public void Reader_rejects_foreign_or_damaged_files_naming_the_fix()
    {
        var bytes = OnnxAdapterFile.Write(Adapter());
        var wrongId = bytes.ToArray();
        wrongId[4] = (byte)'X';
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxAdapterFile.Read(wrongId));
        Assert.Contains("TORT", error.Message);
        Assert.Contains("OnnxAdapterFile.Save", error.Message);

        var truncated = bytes[..(bytes.Length / 2)];
        Assert.Throws<OnnxRuntimeException>(() => OnnxAdapterFile.Read(truncated));

        var wrongVersion = bytes.ToArray();
        var root = (int)BinaryPrimitives.ReadUInt32LittleEndian(wrongVersion);
        BinaryPrimitives.WriteInt32LittleEndian(wrongVersion.AsSpan(root + 4), 2);
        Assert.Contains("format_version is 2", Assert.Throws<OnnxRuntimeException>(() => OnnxAdapterFile.Read(wrongVersion)).Message);

        // ORT applies the same rule to the same bytes.
        Assert.Throws<OnnxRuntimeException>(() => LoraAdapter.FromBytes(wrongVersion).Dispose());
        Assert.Throws<OnnxRuntimeException>(() => LoraAdapter.FromBytes(wrongId).Dispose());
    }

    private OnnxAdapter Adapter() => new(
    [
        OnnxAdapterParameter.Create("lora_A", a.AsSpan(), Dim, Rank),
        OnnxAdapterParameter.Create("lora_B", b.AsSpan(), Rank, Dim),
    ]);

    private float[] ExpectedWithAdapter()
    {
        var baseOut = Reference.MatMul(x, w, Batch, Dim, Dim);
        var delta = Reference.MatMul(Reference.MatMul(x, a, Batch, Dim, Rank), b, Batch, Rank, Dim);
        return baseOut.Zip(delta, (p, q) => p + q).ToArray();
    }

    private InferenceSession LoraSession()
    {
        var g = new OnnxGraphBuilder();
        var input = g.Input("x", TensorElementType.Float, "batch", Dim);
        var loraA = g.InputWithDefault("lora_A", ReadOnlySpan<float>.Empty, [Dim, 0], Dim, "rank");
        var loraB = g.InputWithDefault("lora_B", ReadOnlySpan<float>.Empty, [0, Dim], "rank", Dim);
        var baseOut = g.MatMul(input, g.Initializer("w", w, Dim, Dim));
        var delta = g.MatMul(g.MatMul(input, loraA), loraB);
        g.Output(g.Add(baseOut, delta), TensorElementType.Float, "batch", Dim);
        return Data.Session(g);
    }

    private float[] Run(InferenceSession session, RunOptions? options)
    {
        using var input = OrtValue.CreateTensor(x, Batch, Dim);
        using var result = session.Run(["x"], [input], [session.Outputs[0].Name], options);
        return result[0].ToArray<float>();
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
