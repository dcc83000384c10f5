using SupportSlm.Onnx;
using SupportSlm.Training.Inference;

namespace SupportSlm.Training.Export;

/// <summary>
/// Runs an exported model folder through ONNX Runtime one sequence at a time, keeping the KV cache as the previous
/// run's present.* outputs (fed straight back as past_key_values.*, no copies). An optional .onnx_adapter is
/// activated on every run.
/// </summary>
public sealed class OnnxKvCacheDecoder : ITokenDecoder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions? _runOptions;
    private readonly Onnx.LoraAdapter? _adapter;
    private readonly string[] _inputNames, _outputNames;
    private readonly OrtValue[] _emptyPast;
    private RunResult? _cache;

    public OnnxKvCacheDecoder(string folder, string? adapterPath = null, SessionOptions? sessionOptions = null)
    {
        Config = OnnxModelFolder.ReadConfig(folder);
        try
        {
            // By default errors only: a graph with LoRA inputs makes ONNX Runtime warn once per adapter weight that it is
            // also an initializer — which is how adapters are meant to work.
            _session = InferenceSession.FromFile(Path.Combine(folder, OnnxModelFolder.ModelFile), sessionOptions ?? new SessionOptions { LogLevel = OrtLoggingLevel.Error });
            if (adapterPath is not null)
            {
                _adapter = Onnx.LoraAdapter.FromFile(adapterPath);
                _runOptions = new RunOptions();
                _runOptions.AddActiveLoraAdapter(_adapter);
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw new TrainingException($"ONNX Runtime cannot load {folder}: {ex.Message} Re-create it with `supportslm export --checkpoint <model> --out {folder}`.");
        }
        int layers = Config.Layers;
        var pastNames = Enumerable.Range(0, layers).SelectMany(l => new[] { $"past_key_values.{l}.key", $"past_key_values.{l}.value" });
        _inputNames = ["input_ids", "attention_mask", "position_ids", .. pastNames];
        _outputNames = ["logits", .. Enumerable.Range(0, layers).SelectMany(l => new[] { $"present.{l}.key", $"present.{l}.value" })];
        _emptyPast = Enumerable.Range(0, 2 * layers)
            .Select(_ => OrtValue.AllocateTensor(TensorElementType.Float, 1, Config.KvHeads, 0, Config.HeadSize)).ToArray();
    }

    public LlamaConfig Config { get; }

    /// <summary>Tokens fed so far (the next token's position).</summary>
    public int Position { get; private set; }

    public float[] Step(int token, int pos)
    {
        if (pos != Position) throw new TrainingException($"The ONNX decoder is at position {Position}; tokens must be fed in order (got {pos}).");
        return Append([token]);
    }

    /// <summary>Feeds <paramref name="tokens"/> in one run; returns the logits [V] after the last one.</summary>
    public float[] Append(ReadOnlySpan<int> tokens)
    {
        int n = tokens.Length, total = Position + n;
        if (n == 0) throw new TrainingException("Append needs at least one token.");
        if (total > Config.MaxSeqLen) throw new TrainingException($"Position {total - 1} is past the model's context of {Config.MaxSeqLen} tokens.");
        var ids = new long[n];
        var positions = new long[n];
        for (int i = 0; i < n; i++) { ids[i] = tokens[i]; positions[i] = Position + i; }
        var mask = new long[total];
        Array.Fill(mask, 1L);
        using var idsValue = OrtValue.CreateTensor(ids, 1, n);
        using var maskValue = OrtValue.CreateTensor(mask, 1, total);
        using var positionValue = OrtValue.CreateTensor(positions, 1, n);
        var inputs = new OrtValue[_inputNames.Length];
        inputs[0] = idsValue; inputs[1] = maskValue; inputs[2] = positionValue;
        for (int i = 0; i < _emptyPast.Length; i++) inputs[3 + i] = _cache?[1 + i] ?? _emptyPast[i];
        var result = _session.Run(_inputNames, inputs, _outputNames, _runOptions);
        _cache?.Dispose();
        _cache = result;
        Position = total;
        return result[0].GetTensorData<float>().Slice((n - 1) * Config.VocabSize, Config.VocabSize).ToArray();
    }

    public void Dispose()
    {
        _cache?.Dispose();
        foreach (var value in _emptyPast) value.Dispose();
        _runOptions?.Dispose();
        _adapter?.Dispose();
        _session.Dispose();
    }
}
