using SupportSlm.Evaluation.Classification;

namespace SupportSlm.Evaluation.Tests;

public sealed class ClassifierTests
{
    /// <summary>A tiny step moves the parameters by −rate × gradient; the gradient is checked by central differences of the loss.</summary>
    [Fact]
    public void Sgd_step_follows_the_finite_difference_gradient()
    {
        var random = new Random(3);
        var x = RandomSparse(random, features: 7);
        var model = new SoftmaxRegression(classes: 3, features: 7);
        for (var i = 0; i < model.Weights.Length; i++) model.Weights[i] = random.NextDouble() - 0.5;
        for (var i = 0; i < model.Bias.Length; i++) model.Bias[i] = random.NextDouble() - 0.5;
        const int label = 2;
        const double rate = 1e-3, h = 1e-6;
        var numericW = Enumerable.Range(0, model.Weights.Length).Select(i => Numeric(model, x, label, h, m => m.Weights, i)).ToArray();
        var numericB = Enumerable.Range(0, model.Bias.Length).Select(i => Numeric(model, x, label, h, m => m.Bias, i)).ToArray();
        var before = model.Weights.ToArray();
        var biasBefore = model.Bias.ToArray();

        model.Step(x, label, rate);

        for (var i = 0; i < before.Length; i++) Assert.Equal(-rate * numericW[i], model.Weights[i] - before[i], 9);
        for (var i = 0; i < biasBefore.Length; i++) Assert.Equal(-rate * numericB[i], model.Bias[i] - biasBefore[i], 9);
    }

    [Fact]
    public void Probabilities_sum_to_one_and_training_lowers_the_loss()
    {
        var random = new Random(5);
        var inputs = Enumerable.Range(0, 60).Select(_ => RandomSparse(random, features: 20)).ToArray();
        var labels = inputs.Select(x => x.Indices[0] % 4).ToArray(); // learnable from the first active feature
        var untrained = new SoftmaxRegression(4, 20);
        var trained = SoftmaxRegression.Train(inputs, labels, 4, 20);

        Assert.All(inputs, x => Assert.Equal(1.0, trained.Probabilities(x).Sum(), 10));
        Assert.True(trained.CrossEntropy(inputs, labels) < 0.5 * untrained.CrossEntropy(inputs, labels));
    }

    [Fact]
    public void Intent_classifier_separates_distinct_vocabularies()
    {
        (string, string)[] examples =
        [
            ("I have cancelled your order and you will not be charged", "cancel_order"),
            ("Your order cancellation is confirmed, no charge applies", "cancel_order"),
            ("To cancel the order open My Orders and choose cancel", "cancel_order"),
            ("Your refund will reach your card within five days", "get_refund"),
            ("We issued the refund to your original payment method", "get_refund"),
            ("Refunds are paid back to the card you used", "get_refund"),
        ];
        var classifier = IntentClassifier.Train(examples, new SoftmaxRegressionOptions { Epochs = 30 });

        Assert.Equal(["cancel_order", "get_refund"], classifier.Intents);
        Assert.Equal("get_refund", classifier.Predict("the refund goes back to your card"));
        Assert.Equal("cancel_order", classifier.Predict("we cancelled the order, no charge"));
        Assert.Equal(1.0, classifier.Accuracy(examples));
    }

    [Fact]
    public void Tfidf_vectors_are_unit_length_and_rare_terms_weigh_more()
    {
        var vectorizer = TfidfVectorizer.Fit(["refund my order", "cancel my order", "track my order", "refund please"], minDocumentFrequency: 1);
        var v = vectorizer.Transform("refund my order");

        Assert.Equal(1.0, Math.Sqrt(v.Values.Sum(x => x * x)), 10);
        var weights = v.Indices.Zip(v.Values).ToDictionary(p => p.First, p => p.Second);
        var refund = vectorizer.Transform("refund").Indices.Single();
        var my = vectorizer.Transform("my").Indices.Single();
        Assert.True(weights[refund] > weights[my]);
        Assert.Empty(vectorizer.Transform("unknown words only").Indices);
    }

    /// <summary>The judge must be good before its verdicts mean anything: on held-out Bitext reference responses it names the intent.</summary>
    [Fact]
    public void Intent_judge_is_accurate_on_held_out_bitext_references()
    {
        var rows = BitextCsv.Read(TestPaths.BitextV2);
        var training = rows.Where((_, i) => i % 10 != 0).Select(r => (r.Response, r.Intent)).ToArray();
        var heldOut = rows.Where((_, i) => i % 10 == 0).Select(r => (r.Response, r.Intent)).ToArray();
        var judge = IntentClassifier.Train(training);

        Assert.Equal(27, judge.Intents.Count);
        var accuracy = judge.Accuracy(heldOut);
        Assert.True(accuracy >= 0.93, $"accuracy {accuracy:F3}");
    }

    private static double Numeric(SoftmaxRegression model, SparseVector x, int label, double h, Func<SoftmaxRegression, Span<double>> parameters, int index)
    {
        var original = parameters(model)[index];
        parameters(model)[index] = original + h;
        var plus = model.CrossEntropy([x], [label]);
        parameters(model)[index] = original - h;
        var minus = model.CrossEntropy([x], [label]);
        parameters(model)[index] = original;
        return (plus - minus) / (2 * h);
    }

    private static SparseVector RandomSparse(Random random, int features)
    {
        var indices = Enumerable.Range(0, features).Where(_ => random.NextDouble() < 0.4).DefaultIfEmpty(random.Next(features)).ToArray();
        return new SparseVector(indices, indices.Select(_ => random.NextDouble()).ToArray());
    }
}
