using SupportSlm.Onnx;
using SupportSlm.Sentiment.Data;
using SupportSlm.Sentiment.Features;

namespace SupportSlm.Sentiment.Model;

/// <summary>
/// Serves a sentiment model file through ONNX Runtime: featurization in C#, the classifier graph in ORT. Thread-safe
/// (ORT allows concurrent runs on one session); each call builds its own input tensors.
/// </summary>
public sealed class OnnxSentimentClassifier : IDisposable
{
    private static readonly string[] InputNames = [SentimentModelFile.IndicesInput, SentimentModelFile.ValuesInput];
    private static readonly string[] OutputNames = [SentimentModelFile.ProbabilitiesOutput];

    private readonly InferenceSession session;

    public OnnxSentimentClassifier(string modelPath, int intraOpThreads = 1)
    {
        // Reading the parameters first checks the magic, version and featurizer settings with our own messages.
        Reference = SentimentModelFile.Load(modelPath);
        Featurizer = new HashedFeaturizer(Reference.Featurizer);
        try
        {
            session = InferenceSession.FromFile(modelPath, new SessionOptions { IntraOpThreads = intraOpThreads, InterOpThreads = 1 });
        }
        catch (OnnxRuntimeException e)
        {
            throw new SentimentException($"ONNX Runtime cannot load sentiment model '{modelPath}' ({e.OrtMessage}); regenerate it with `supportslm sentiment train`.", e);
        }
    }

    public HashedFeaturizer Featurizer { get; }

    /// <summary>The same parameters as a C# model: the reference the ORT output is tested against.</summary>
    public LinearSentimentModel Reference { get; }

    /// <summary>Calibrated probabilities [negative, neutral, positive] for each vector.</summary>
    public float[][] Predict(IReadOnlyList<SparseVector> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        // Pad to the longest vector with bucket 0 and value 0, which adds nothing to the sum; k ≥ 1 keeps shapes valid for empty messages.
        var width = Math.Max(1, batch.Max(v => v.Count));
        var indices = new long[batch.Count * width];
        var values = new float[batch.Count * width];
        for (var row = 0; row < batch.Count; row++)
        {
            var vector = batch[row];
            for (var i = 0; i < vector.Count; i++)
            {
                indices[row * width + i] = vector.Indices[i];
                values[row * width + i] = vector.Values[i];
            }
        }

        using var indicesValue = OrtValue.CreateTensor(indices, batch.Count, width);
        using var valuesValue = OrtValue.CreateTensor(values, batch.Count, width);
        using var result = session.Run(InputNames, [indicesValue, valuesValue], OutputNames);
        var probabilities = result[0].GetTensorData<float>();
        var rows = new float[batch.Count][];
        for (var row = 0; row < batch.Count; row++)
        {
            rows[row] = probabilities.Slice(row * SentimentClasses.Count, SentimentClasses.Count).ToArray();
        }

        return rows;
    }

    public float[] Predict(SparseVector vector) => Predict([vector])[0];

    public void Dispose() => session.Dispose();
}
