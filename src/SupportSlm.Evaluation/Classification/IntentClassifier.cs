namespace SupportSlm.Evaluation.Classification;

/// <summary>
/// The judge of "is this response right for the customer's intent": TF-IDF of the response text → softmax regression
/// over the intents, trained on reference responses labelled with their intent.
/// </summary>
public sealed class IntentClassifier
{
    private readonly TfidfVectorizer vectorizer;
    private readonly SoftmaxRegression model;
    private readonly string[] intents;

    private IntentClassifier(TfidfVectorizer vectorizer, SoftmaxRegression model, string[] intents)
    {
        this.vectorizer = vectorizer;
        this.model = model;
        this.intents = intents;
    }

    public IReadOnlyList<string> Intents => intents;

    public static IntentClassifier Train(IReadOnlyList<(string Text, string Intent)> examples, SoftmaxRegressionOptions? options = null)
    {
        if (examples.Count == 0) throw new EvaluationException("The intent classifier needs labelled reference responses to train on.");
        var intents = examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = intents.Select((intent, i) => (intent, i)).ToDictionary(p => p.intent, p => p.i, StringComparer.Ordinal);
        var vectorizer = TfidfVectorizer.Fit(examples.Select(e => e.Text).ToArray());
        var inputs = examples.Select(e => vectorizer.Transform(e.Text)).ToArray();
        var labels = examples.Select(e => index[e.Intent]).ToArray();
        return new IntentClassifier(vectorizer, SoftmaxRegression.Train(inputs, labels, intents.Length, vectorizer.Features, options), intents);
    }

    public string Predict(string text) => intents[model.Predict(vectorizer.Transform(text))];

    /// <summary>Share of <paramref name="examples"/> whose predicted intent is their label.</summary>
    public double Accuracy(IReadOnlyList<(string Text, string Intent)> examples) =>
        examples.Count == 0 ? throw new EvaluationException("Accuracy needs at least one example.")
            : examples.Count(e => Predict(e.Text) == e.Intent) / (double)examples.Count;
}
