using System.Buffers.Binary;
using SupportSlm.Domain.Models;
using SupportSlm.Inference.Adapters;
using SupportSlm.Onnx;
using SupportSlm.Onnx.Adapters;

namespace SupportSlm.Inference.Tests;

/// <summary>
/// The upload check on real files: the shipped adapter (our trainer's export) against its real base model, and the
/// ways an upload goes wrong — empty, another format, cut off, a newer format version, no LoRA pairs, damaged tensors, an
/// adapter for another model. Every bad file is a result with a reason, never an exception.
/// </summary>
public sealed class AdapterFileValidatorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("supportslm-adapter-check-").FullName;
    private readonly IAdapterFileValidator validator = new AdapterFileValidator();

    private static string ShippedAdapter => Path.Combine(TestPaths.DefaultModel, "adapter.onnx_adapter");

    private static string ShippedModel => Path.Combine(TestPaths.DefaultModel, "model.onnx");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task The_shipped_adapter_is_valid_for_its_base_model_with_its_rank_and_weight_count()
    {
        var adapter = OnnxAdapterFile.Load(ShippedAdapter);
        var weights = adapter.Parameters.Sum(p => p.Dims.Aggregate(1L, (n, d) => n * d));

        var alone = await validator.CheckAsync(ShippedAdapter, CancellationToken.None);
        var withModel = await validator.CheckAsync(ShippedAdapter, ShippedModel, CancellationToken.None);

        foreach (var check in new[] { alone, withModel })
        {
            Assert.True(check.IsValid, check.Message);
            Assert.Equal(8, check.Rank); // models/default/README.md: LoRA rank 8
            Assert.Equal(weights, check.ParameterCount);
            Assert.Equal($"{weights} adapter parameter(s), rank 8", check.Message);
        }
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var check = await CheckBytesAsync([]);
        Assert.False(check.IsValid);
        Assert.Equal("the file is empty", check.Message);
    }

    [Fact]
    public async Task Garbage_and_other_formats_are_refused_as_not_an_adapter()
    {
        foreach (var bytes in new[] { "definitely not weights\n"u8.ToArray(), File.ReadAllBytes(ShippedModel)[..4096], [1, 2, 3] })
        {
            var check = await CheckBytesAsync(bytes);
            Assert.False(check.IsValid);
            Assert.StartsWith("it is not an ONNX Runtime LoRA adapter", check.Message, StringComparison.Ordinal);
            Assert.Contains("supportslm export", check.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(600)]
    [InlineData(400_000)]
    [InlineData(869_000)]
    public async Task A_cut_off_file_is_refused_as_truncated(int keep)
    {
        var check = await CheckBytesAsync(File.ReadAllBytes(ShippedAdapter)[..keep]);
        Assert.False(check.IsValid);
        Assert.StartsWith("it is truncated or damaged", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_newer_format_version_is_refused_naming_the_version()
    {
        var bytes = OnnxAdapterFile.Write(Lora("layer.lora_A", 4, 2, "layer.lora_B", 2, 4));
        var root = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(root + 4), 2); // our writer puts format_version first in the root table

        var check = await CheckBytesAsync(bytes);
        Assert.False(check.IsValid);
        Assert.Contains("format_version is 2; only 1 is supported", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tensors_without_LoRA_pairs_are_not_a_LoRA_adapter()
    {
        var noPairs = await CheckAdapterAsync(new OnnxAdapter([OnnxAdapterParameter.Create("embed.weight", new float[6].AsSpan(), 2, 3)]));
        Assert.False(noPairs.IsValid);
        Assert.StartsWith("none of its 1 tensor(s) is a LoRA weight", noPairs.Message, StringComparison.Ordinal);

        var empty = await CheckAdapterAsync(new OnnxAdapter([]));
        Assert.StartsWith("it holds no tensors", empty.Message, StringComparison.Ordinal);

        var unpaired = await CheckAdapterAsync(new OnnxAdapter([OnnxAdapterParameter.Create("q.lora_A.weight", new float[8].AsSpan(), 4, 2)]));
        Assert.Equal("'q.lora_A.weight' has no matching 'q.lora_B.weight'", unpaired.Message);

        var mixed = await CheckAdapterAsync(new OnnxAdapter([.. Lora("q.lora_A", 4, 2, "q.lora_B", 2, 4).Parameters, .. Lora("k.lora_A", 4, 3, "k.lora_B", 3, 4).Parameters]));
        Assert.Equal("its LoRA pairs have different ranks (2, 3); an adapter has one rank", mixed.Message);

        var unshared = await CheckAdapterAsync(Lora("q.lora_A", 4, 2, "q.lora_B", 3, 5));
        Assert.Equal("'q.lora_A' [4, 2] and 'q.lora_B' [3, 5] do not share a LoRA rank", unshared.Message);
    }

    [Fact]
    public async Task The_rank_is_read_from_either_matrix_layout()
    {
        var ours = await CheckAdapterAsync(Lora("q.lora_A", 16, 4, "q.lora_B", 4, 12));
        var peft = await CheckAdapterAsync(Lora("q.lora_A", 4, 16, "q.lora_B", 12, 4));
        Assert.Equal((4, 16 * 4 + 4 * 12), (ours.Rank, ours.ParameterCount));
        Assert.Equal((4, 16 * 4 + 4 * 12), (peft.Rank, peft.ParameterCount));
    }

    [Fact]
    public async Task A_tensor_whose_bytes_do_not_match_its_shape_is_damaged()
    {
        var shortData = new OnnxAdapterParameter("q.lora_B", [2, 4], TensorElementType.Float, new byte[20]);
        var check = await CheckAdapterAsync(new OnnxAdapter([OnnxAdapterParameter.Create("q.lora_A", new float[8].AsSpan(), 4, 2), shortData]));
        Assert.False(check.IsValid);
        Assert.Equal("the tensor 'q.lora_B' of shape [2, 4] Float does not match its 20 bytes of data: the file is damaged", check.Message);
    }

    [Fact]
    public async Task An_adapter_for_another_model_is_refused_against_the_chosen_base_model()
    {
        var path = Save(Lora("model.layers.0.self_attn.q_proj.lora_A.weight", 128, 8, "model.layers.0.self_attn.q_proj.lora_B.weight", 8, 256));
        var wrongShape = await validator.CheckAsync(path, ShippedModel, CancellationToken.None);
        Assert.False(wrongShape.IsValid);
        Assert.StartsWith("the tensor 'model.layers.0.self_attn.q_proj.lora_A.weight' has shape [128, 8] but the base model's input is", wrongShape.Message, StringComparison.Ordinal);

        var unknown = await validator.CheckAsync(Save(Lora("decoder.lora_A", 256, 8, "decoder.lora_B", 8, 256)), ShippedModel, CancellationToken.None);
        Assert.StartsWith("the tensor 'decoder.lora_A' is not an input of the base model (it has 84 LoRA inputs", unknown.Message, StringComparison.Ordinal);

        var noLoraInputs = await validator.CheckAsync(ShippedAdapter, Path.Combine(TestPaths.TinyGpt2, "past.onnx"), CancellationToken.None);
        Assert.StartsWith("the base model has no LoRA inputs", noLoraInputs.Message, StringComparison.Ordinal);

        var missingModel = await validator.CheckAsync(ShippedAdapter, Path.Combine(folder, "gone.onnx"), CancellationToken.None);
        Assert.False(missingModel.IsValid);
        Assert.Contains("cannot be read", missingModel.Message, StringComparison.Ordinal);
    }

    private static OnnxAdapter Lora(string aName, int aRows, int aCols, string bName, int bRows, int bCols) => new(
    [
        OnnxAdapterParameter.Create(aName, new float[aRows * aCols].AsSpan(), aRows, aCols),
        OnnxAdapterParameter.Create(bName, Enumerable.Repeat(0.5f, bRows * bCols).ToArray().AsSpan(), bRows, bCols),
    ]);

    private string Save(OnnxAdapter adapter)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.onnx_adapter");
        OnnxAdapterFile.Save(adapter, path);
        return path;
    }

    private Task<AdapterFileCheck> CheckAdapterAsync(OnnxAdapter adapter) => validator.CheckAsync(Save(adapter), CancellationToken.None);

    private Task<AdapterFileCheck> CheckBytesAsync(byte[] bytes)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.onnx_adapter");
        File.WriteAllBytes(path, bytes);
        return validator.CheckAsync(path, CancellationToken.None);
    }
}
