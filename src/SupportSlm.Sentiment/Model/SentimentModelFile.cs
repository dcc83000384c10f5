using System.Globalization;
using SupportSlm.Onnx;
using SupportSlm.Onnx.Model;
using SupportSlm.Onnx.Protobuf;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Model;

/// <summary>
/// Writes and reads our sentiment model as a standard ONNX file (so ORT serves it). Our own header lives in the model's
/// metadata: magic "supportslm.sentiment" and a format version, plus the featurizer settings; the loader refuses files
/// without them and names the command that regenerates one.
/// Graph: indices int64 [batch, k] and values float [batch, k] (a message's sparse features, padded with value 0) →
/// Gather(W) · values → ReduceSum over k → + b = logits; softmax(logits · 1/T) = probabilities. This is exactly the dense
/// x·W of a [batch, 2^bits] feature matrix, without materializing that mostly-zero matrix.
/// </summary>
public static class SentimentModelFile
{
    public const string MagicKey = "supportslm.magic";
    public const string Magic = "supportslm.sentiment";
    public const string VersionKey = "supportslm.format_version";
    public const int Version = 1;
    public const string IndicesInput = "indices";
    public const string ValuesInput = "values";
    public const string LogitsOutput = "logits";
    public const string ProbabilitiesOutput = "probabilities";

    private const string Regenerate = "regenerate it with `supportslm sentiment train`";

    public static ModelProto ToOnnx(LinearSentimentModel model)
    {
        var buckets = 1 << model.Featurizer.BucketBits;
        var g = new OnnxGraphBuilder("sentiment", opset: 17) { IrVersion = 8 };
        g.Metadata[MagicKey] = Magic;
        g.Metadata[VersionKey] = Version.ToString(CultureInfo.InvariantCulture);
        g.Metadata["bucket_bits"] = Invariant(model.Featurizer.BucketBits);
        g.Metadata["min_char_gram"] = Invariant(model.Featurizer.MinCharGram);
        g.Metadata["max_char_gram"] = Invariant(model.Featurizer.MaxCharGram);
        g.Metadata["temperature"] = model.Temperature.ToString("R", CultureInfo.InvariantCulture);
        g.Metadata["labels"] = "negative,neutral,positive";

        var indices = g.Input(IndicesInput, TensorElementType.Int64, "batch", "k");
        var values = g.Input(ValuesInput, TensorElementType.Float, "batch", "k");
        var weights = g.Initializer("W", model.Weights, buckets, SentimentClasses.Count);
        var bias = g.Initializer("b", model.Bias, SentimentClasses.Count);
        var inverseTemperature = g.Initializer("inverse_temperature", [1 / model.Temperature], 1);

        var rows = g.Gather(weights, indices);
        var weighted = g.Mul(rows, g.Reshape(values, 0, 0, 1));
        var summed = g.Op("ReduceSum", [weighted, g.Int64s(1)], OnnxAttribute.Int("keepdims", 0));
        g.Node("Add", [summed, bias], outputs: [LogitsOutput]);
        g.Node("Softmax", [g.Mul(LogitsOutput, inverseTemperature)], outputs: [ProbabilitiesOutput], attributes: OnnxAttribute.Int("axis", -1));
        g.Output(LogitsOutput, TensorElementType.Float, "batch", SentimentClasses.Count);
        g.Output(ProbabilitiesOutput, TensorElementType.Float, "batch", SentimentClasses.Count);
        return g.Build();
    }

    public static void Save(LinearSentimentModel model, string path) => OnnxModelFile.Save(ToOnnx(model), path);

    /// <summary>Reads the parameters back into the C# reference model (for tests, and to check the file before serving it).</summary>
    public static LinearSentimentModel Load(string path)
    {
        ModelProto proto;
        try
        {
            proto = OnnxModelFile.Load(path);
        }
        catch (OnnxRuntimeException e)
        {
            throw new SentimentException($"Sentiment model '{path}' cannot be read ({e.OrtMessage}); {Regenerate}.", e);
        }

        var metadata = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (!metadata.TryGetValue(MagicKey, out var magic) || magic != Magic)
        {
            throw new SentimentException($"'{path}' is an ONNX file but not a SupportSlm sentiment model; {Regenerate}.");
        }

        if (metadata.GetValueOrDefault(VersionKey) != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new SentimentException(
                $"Sentiment model '{path}' has format version {metadata.GetValueOrDefault(VersionKey)}, this build reads {Version}; {Regenerate}.");
        }

        try
        {
            var settings = new FeaturizerSettings(ParseInt(metadata, "bucket_bits"), ParseInt(metadata, "min_char_gram"), ParseInt(metadata, "max_char_gram"));
            var initializers = proto.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            var weights = OnnxTensors.ToArray<float>(initializers["W"]);
            var bias = OnnxTensors.ToArray<float>(initializers["b"]);
            var inverseTemperature = OnnxTensors.ToArray<float>(initializers["inverse_temperature"])[0];
            return new LinearSentimentModel(settings, weights, bias, 1 / inverseTemperature);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OnnxRuntimeException or IndexOutOfRangeException)
        {
            throw new SentimentException($"Sentiment model '{path}' is incomplete ({e.Message}); {Regenerate}.", e);
        }
    }

    private static int ParseInt(Dictionary<string, string> metadata, string key) =>
        int.Parse(metadata[key], NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
