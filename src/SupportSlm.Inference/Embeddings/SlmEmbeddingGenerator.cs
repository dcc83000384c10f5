using Microsoft.Extensions.AI;
using SupportSlm.Onnx;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Embeddings;

/// <summary>
/// Sentence embeddings from an encoder ONNX model (e.g. a sentence-transformers export): texts are tokenized with the
/// tokenizer's post-processor, right-padded into one batch, and the <c>last_hidden_state</c> is mean-pooled over real
/// tokens (attention mask 1) and L2-normalized, as sentence-transformers' mean pooling does. A model whose first output
/// is already [batch, dim] (e.g. <c>sentence_embedding</c>) is used as is. Thread-safe (ORT runs concurrently).
/// </summary>
public sealed class SlmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly InferenceSession session;
    private readonly ITokenizer tokenizer;
    private readonly string modelId;
    private readonly NodeInfo ids;
    private readonly NodeInfo? mask;
    private readonly NodeInfo? tokenTypes;
    private readonly string output;

    public SlmEmbeddingGenerator(InferenceSession session, ITokenizer tokenizer, string modelId)
    {
        this.session = session;
        this.tokenizer = tokenizer;
        this.modelId = modelId;
        var inputs = session.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        ids = inputs.GetValueOrDefault("input_ids") ?? throw new InferenceException(InferenceError.InvalidModel,
            $"The encoder has no 'input_ids' input (inputs: {string.Join(", ", session.Inputs)}); export it with input_ids/attention_mask.");
        mask = inputs.GetValueOrDefault("attention_mask");
        tokenTypes = inputs.GetValueOrDefault("token_type_ids");
        output = session.Outputs.FirstOrDefault(o => o.Name is "sentence_embedding" or "last_hidden_state")?.Name ?? session.Outputs[0].Name;
    }

    /// <summary>Loads <c>model.onnx</c> (or <c>onnx/model.onnx</c>) and the tokenizer of an encoder folder.</summary>
    public static SlmEmbeddingGenerator Load(string folder)
    {
        var path = new[] { "model.onnx", "onnx/model.onnx" }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists)
            ?? throw new InferenceException(InferenceError.InvalidModel, $"No model.onnx or onnx/model.onnx in '{Path.GetFullPath(folder)}'.");
        var tokenizer = TokenizerLoader.LoadFromFolder(folder);
        try
        {
            return new SlmEmbeddingGenerator(InferenceSession.FromFile(path), tokenizer, Path.GetFileName(Path.GetFullPath(folder)));
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceError.InvalidModel, $"ONNX Runtime cannot load '{path}': {e.OrtMessage}", e);
        }
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>();
        if (texts.Length == 0)
        {
            return Task.FromResult(result);
        }

        var encoded = texts.Select(t => tokenizer.Encode(t, addSpecialTokens: true)).ToArray();
        int batch = texts.Length, length = Math.Max(1, encoded.Max(e => e.Count));
        var idData = new long[batch * length];
        var maskData = new long[batch * length];
        for (var r = 0; r < batch; r++)
        {
            for (var i = 0; i < encoded[r].Count; i++)
            {
                idData[r * length + i] = encoded[r][i];
                maskData[r * length + i] = 1;
            }
        }

        var names = new List<string> { ids.Name };
        var feeds = new List<OrtValue> { Tensor(idData, ids.ElementType, batch, length) };
        if (mask is not null) { names.Add(mask.Name); feeds.Add(Tensor(maskData, mask.ElementType, batch, length)); }
        if (tokenTypes is not null) { names.Add(tokenTypes.Name); feeds.Add(Tensor(new long[batch * length], tokenTypes.ElementType, batch, length)); }
        try
        {
            using var run = session.Run(names.ToArray(), feeds.ToArray(), [output]);
            var hidden = run[0].GetTensorData<float>();
            var shape = run[0].GetShape();
            for (var r = 0; r < batch; r++)
            {
                var vector = shape.Length == 2 ? hidden.Slice(r * (int)shape[1], (int)shape[1]).ToArray() : MeanPool(hidden, shape, r, maskData, length);
                result.Add(new Embedding<float>(Normalize(vector)) { ModelId = modelId, CreatedAt = DateTimeOffset.UtcNow });
            }

            result.Usage = new UsageDetails { InputTokenCount = encoded.Sum(e => e.Count) };
            return Task.FromResult(result);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceError.InvalidModel, $"The encoder run failed: {e.OrtMessage}", e);
        }
        finally
        {
            feeds.ForEach(f => f.Dispose());
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("SupportSlm", null, modelId)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => session.Dispose();

    private static float[] MeanPool(ReadOnlySpan<float> hidden, long[] shape, int row, long[] mask, int length)
    {
        var dim = (int)shape[2];
        var sum = new float[dim];
        var count = 0;
        for (var i = 0; i < length; i++)
        {
            if (mask[row * length + i] == 0) continue;
            count++;
            var token = hidden.Slice((row * length + i) * dim, dim);
            for (var d = 0; d < dim; d++) sum[d] += token[d];
        }

        for (var d = 0; d < dim; d++) sum[d] /= Math.Max(count, 1);
        return sum;
    }

    private static float[] Normalize(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm > 0 ? vector.Select(v => v / norm).ToArray() : vector;
    }

    private static OrtValue Tensor(long[] values, TensorElementType type, int batch, int length) => type == TensorElementType.Int32
        ? OrtValue.CreateTensor(values.Select(v => (int)v).ToArray(), batch, length)
        : OrtValue.CreateTensor(values, batch, length);
}
