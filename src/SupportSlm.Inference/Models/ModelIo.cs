using System.Text.RegularExpressions;
using SupportSlm.Onnx;

namespace SupportSlm.Inference.Models;

/// <summary>How a decoder graph names and shapes its KV cache.</summary>
public enum KvConvention
{
    /// <summary>Hugging Face Optimum / transformers.js / onnxruntime-genai / our exports: <c>past_key_values.{i}.key|value</c>
    /// in, <c>present.{i}.key|value</c> out, each [batch, kv_heads, length, head_size].</summary>
    SeparateKeyValue,

    /// <summary>Legacy onnxruntime.transformers GPT-2: <c>past_{i}</c> in, <c>present_{i}</c> out, keys and values stacked
    /// as [2, batch, heads, length, head_size].</summary>
    StackedPerLayer,
}

/// <summary>One past input and the present output that continues it.</summary>
public sealed record KvTensorNames(string Past, string Present);

/// <summary>The I/O contract of a decoder graph, discovered from the session's inputs and outputs.</summary>
public sealed partial record ModelIo
{
    public required string InputIds { get; init; }

    public required TensorElementType IdType { get; init; }

    public string? PositionIds { get; init; }

    public TensorElementType PositionType { get; init; }

    public string? AttentionMask { get; init; }

    public TensorElementType MaskType { get; init; }

    /// <summary>Optimum's merged decoders take a bool telling them whether the past is real.</summary>
    public string? UseCacheBranch { get; init; }

    public required string Logits { get; init; }

    public required TensorElementType LogitsType { get; init; }

    public required KvConvention Convention { get; init; }

    /// <summary>Past/present pairs in feed order (two per layer for separate key/value, one for stacked).</summary>
    public required IReadOnlyList<KvTensorNames> Kv { get; init; }

    public required TensorElementType KvType { get; init; }

    public required int Layers { get; init; }

    public required int KvHeads { get; init; }

    public required int HeadSize { get; init; }

    public required int VocabularySize { get; init; }

    /// <summary>Keys and values per KV tensor: 2 when stacked in one tensor, else 1.</summary>
    public int Slices => Convention == KvConvention.StackedPerLayer ? 2 : 1;

    public int ElementSize => TensorElementTypes.SizeOf(KvType);

    /// <summary>Bytes of cache one token occupies across all layers.</summary>
    public long BytesPerToken => (long)Kv.Count * Slices * KvHeads * HeadSize * ElementSize;

    public static ModelIo Discover(InferenceSession session, ModelConfig config, string modelPath)
    {
        var inputs = session.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var outputs = session.Outputs.ToDictionary(o => o.Name, StringComparer.Ordinal);
        InferenceException Unsupported(string why) => new(InferenceError.InvalidModel,
            $"'{modelPath}' is not a supported decoder: {why}. Inputs: {string.Join(", ", session.Inputs)}; outputs: {string.Join(", ", session.Outputs)}. " +
            "Export it with KV-cache inputs (Optimum/transformers.js 'past_key_values.N.key/value' or legacy 'past_N').");

        if (!inputs.TryGetValue("input_ids", out var ids) || ids.ElementType is not (TensorElementType.Int32 or TensorElementType.Int64))
        {
            throw Unsupported("no int32/int64 'input_ids' input");
        }

        if (!outputs.TryGetValue("logits", out var logits) || logits.ElementType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw Unsupported("no float/float16 'logits' output");
        }

        var (convention, kv) = FindKv(inputs, outputs) ?? throw Unsupported("no KV-cache inputs");
        var firstPast = inputs[kv[0].Past];
        if (firstPast.ElementType is not (TensorElementType.Float or TensorElementType.Float16)
            || kv.Any(k => inputs[k.Past].ElementType != firstPast.ElementType))
        {
            throw Unsupported($"KV cache of type {firstPast.ElementType}; only float32 and float16 caches are supported");
        }

        var offset = convention == KvConvention.StackedPerLayer ? 1 : 0;
        if (firstPast.Shape.Count != 4 + offset)
        {
            throw Unsupported($"'{firstPast.Name}' has rank {firstPast.Shape.Count}, expected {4 + offset}");
        }

        var heads = Fixed(firstPast.Shape[1 + offset]) ?? config.KvHeads
            ?? throw Unsupported("the KV head count is symbolic and no config names it (num_key_value_heads)");
        var headSize = Fixed(firstPast.Shape[3 + offset]) ?? config.HeadSize
            ?? throw Unsupported("the head size is symbolic and no config names it (head_dim or hidden_size/num_attention_heads)");
        var vocabulary = Fixed(logits.Shape[^1]) ?? config.VocabularySize
            ?? throw Unsupported("the vocabulary size is symbolic and no config names it (vocab_size)");

        inputs.TryGetValue("position_ids", out var positions);
        inputs.TryGetValue("attention_mask", out var mask);
        inputs.TryGetValue("use_cache_branch", out var useCache);
        var known = new HashSet<string>(kv.Select(k => k.Past).Append("input_ids"), StringComparer.Ordinal);
        if (positions is not null) known.Add(positions.Name);
        if (mask is not null) known.Add(mask.Name);
        if (useCache is not null) known.Add(useCache.Name);
        var unknown = session.Inputs.Where(i => !known.Contains(i.Name)).Select(i => i.Name).ToArray();
        if (unknown.Length > 0)
        {
            throw Unsupported($"inputs this runtime cannot feed ({string.Join(", ", unknown)})");
        }

        return new ModelIo
        {
            InputIds = ids.Name,
            IdType = ids.ElementType,
            PositionIds = positions?.Name,
            PositionType = positions?.ElementType ?? TensorElementType.Undefined,
            AttentionMask = mask?.Name,
            MaskType = mask?.ElementType ?? TensorElementType.Undefined,
            UseCacheBranch = useCache?.Name,
            Logits = logits.Name,
            LogitsType = logits.ElementType,
            Convention = convention,
            Kv = kv,
            KvType = firstPast.ElementType,
            Layers = convention == KvConvention.StackedPerLayer ? kv.Length : kv.Length / 2,
            KvHeads = (int)heads,
            HeadSize = (int)headSize,
            VocabularySize = (int)vocabulary,
        };
    }

    private static long? Fixed(long dim) => dim > 0 ? dim : null;

    private static (KvConvention, KvTensorNames[])? FindKv(Dictionary<string, NodeInfo> inputs, Dictionary<string, NodeInfo> outputs)
    {
        var separate = inputs.Keys.Select(n => SeparatePast().Match(n)).Where(m => m.Success)
            .Select(m => (Layer: int.Parse(m.Groups[1].Value), Kind: m.Groups[2].Value)).ToArray();
        if (separate.Length > 0)
        {
            var layers = separate.Max(s => s.Layer) + 1;
            var names = new List<KvTensorNames>();
            for (var layer = 0; layer < layers; layer++)
            {
                foreach (var kind in new[] { "key", "value" })
                {
                    var past = $"past_key_values.{layer}.{kind}";
                    var present = new[] { $"present.{layer}.{kind}", $"present_key_values.{layer}.{kind}" }.FirstOrDefault(outputs.ContainsKey);
                    if (!inputs.ContainsKey(past) || present is null)
                    {
                        return null;
                    }

                    names.Add(new KvTensorNames(past, present));
                }
            }

            return (KvConvention.SeparateKeyValue, names.ToArray());
        }

        var stacked = inputs.Keys.Select(n => StackedPast().Match(n)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        if (stacked.Length == 0)
        {
            return null;
        }

        var result = new KvTensorNames[stacked.Max() + 1];
        for (var layer = 0; layer < result.Length; layer++)
        {
            if (!inputs.ContainsKey($"past_{layer}") || !outputs.ContainsKey($"present_{layer}"))
            {
                return null;
            }

            result[layer] = new KvTensorNames($"past_{layer}", $"present_{layer}");
        }

        return (KvConvention.StackedPerLayer, result);
    }

    [GeneratedRegex(@"^past_key_values\.(\d+)\.(key|value)$")]
    private static partial Regex SeparatePast();

    [GeneratedRegex(@"^past_(\d+)$")]
    private static partial Regex StackedPast();
}
