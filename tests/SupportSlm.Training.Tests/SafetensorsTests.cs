using SupportSlm.Training;
using SupportSlm.Training.Import;

namespace SupportSlm.Training.Tests;

public class SafetensorsTests
{
    [Fact]
    public void Hf_folder_round_trip_preserves_outputs_and_uses_rotate_half_order()
    {
        var model = Llama2cCheckpoint.Load(TestPaths.Stories260K);
        string dir = TestPaths.TempDir();
        HfLlama.Save(model, dir);
        var tensors = Safetensors.Read(Path.Combine(dir, "model.safetensors"));
        Assert.Contains("model.layers.4.mlp.down_proj.weight", tensors.Keys);
        Assert.Equal([32, 64], tensors["model.layers.0.self_attn.k_proj.weight"].Shape);

        // on disk q_proj is in HF order: HF row c·hs/2 + j of head h = llama2.c row 2j + c
        var q = tensors["model.layers.0.self_attn.q_proj.weight"].Data;
        int hs = model.Config.HeadSize, d = model.Config.Dim, wq = model.Layout.Layers[0].Wq;
        Assert.Equal(model.Weights.AsSpan(wq + (2 * 1 + 1) * d, d).ToArray(), q.AsSpan((hs / 2 + 1) * d, d).ToArray());

        var back = ModelLoader.Load(dir);
        Assert.Equal(model.Config, back.Config);
        Assert.Equal(model.Weights, back.Weights);
    }

    [Fact]
    public void Rotate_half_permutation_makes_hf_rope_equal_interleaved_rope()
    {
        // the same projection, applied with each convention's rotation, must give the same attention scores q·k
        const int hs = 8, pos = 5;
        var rng = new DeterministicRandom(9);
        float[] w = Enumerable.Range(0, hs * 4).Select(_ => (float)rng.NextGaussian()).ToArray();   // 1 head, 4 inputs
        float[] x = [0.3f, -1.2f, 0.8f, 0.5f];
        float[] Project(float[] m) => Enumerable.Range(0, hs).Select(r => Enumerable.Range(0, 4).Sum(c => m[r * 4 + c] * x[c])).ToArray();
        var (cos, sin) = LlamaLayers.RopeTables<float>(pos + 1, hs, 10000);
        var interleaved = Project(w);
        LlamaLayers.Rope<float>(interleaved, 1, 1, hs, cos, sin, inverse: false, firstPosition: pos);
        var half = Project(RopeLayout.InterleavedToHalf(w, 1, hs, 4));
        var rotated = new float[hs];
        for (int j = 0; j < hs / 2; j++)
        {
            float c = cos[pos * hs / 2 + j], s = sin[pos * hs / 2 + j];
            rotated[j] = half[j] * c - half[j + hs / 2] * s;            // HF: x·cos + rotate_half(x)·sin
            rotated[j + hs / 2] = half[j + hs / 2] * c + half[j] * s;
        }
        for (int j = 0; j < hs / 2; j++)
        {
            Assert.Equal(interleaved[2 * j], rotated[j], 5);
            Assert.Equal(interleaved[2 * j + 1], rotated[j + hs / 2], 5);
        }
    }

    [Fact]
    public void Half_and_bfloat16_tensors_are_widened_to_float()
    {
        // hand-built file: "h" F16 [2] = {1.5, -2}, "b" BF16 [2] = {0.15625, -3}
        string header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        var bytes = new List<byte>(BitConverter.GetBytes((ulong)header.Length));
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(header));
        foreach (var h in new[] { (Half)1.5f, (Half)(-2f) }) bytes.AddRange(BitConverter.GetBytes(BitConverter.HalfToUInt16Bits(h)));
        foreach (var f in new[] { 0.15625f, -3f }) bytes.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(f) >> 16)));
        string path = Path.Combine(TestPaths.TempDir(), "mixed.safetensors");
        File.WriteAllBytes(path, bytes.ToArray());
        var tensors = Safetensors.Read(path);
        Assert.Equal([1.5f, -2f], tensors["h"].Data);
        Assert.Equal([0.15625f, -3f], tensors["b"].Data);
    }

    [Fact]
    public void Bad_safetensors_and_configs_are_clear_errors()
    {
        var model = LlamaModel<float>.CreateRandom(new LlamaConfig(16, 32, 1, 2, 1, 40, 16, TiedEmbeddings: false), 3);
        string dir = TestPaths.TempDir();
        HfLlama.Save(model, dir);
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"intermediate_size\": 32", "\"intermediate_size\": 48"));
        Assert.Contains("config mismatch", Assert.Throws<TrainingException>(() => HfLlama.Load(dir)).Message);

        string st = Path.Combine(dir, "model.safetensors");
        File.WriteAllBytes(st, File.ReadAllBytes(st)[..50]);
        Assert.Throws<TrainingException>(() => Safetensors.Read(st));
        File.WriteAllText(config, "{ not json");
        Assert.Throws<TrainingException>(() => HfLlama.ReadConfig(config));
    }
}
