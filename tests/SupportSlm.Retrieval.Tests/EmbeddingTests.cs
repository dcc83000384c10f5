using Microsoft.Extensions.AI;
using SupportSlm.Retrieval.Embeddings;

namespace SupportSlm.Retrieval.Tests;

public sealed class EmbeddingTests
{
    [Fact]
    public void Contrastive_loss_gradient_matches_finite_differences()
    {
        var model = EmbeddingModel.CreateRandom(dimensions: 6, buckets: 40, seed: 5, scale: 0.5f);
        var scratch = new List<int>();
        int[] F(string text) { FeatureHasher.Features(text, model.Buckets, scratch); return scratch.ToArray(); }
        var anchors = new[] { F("refund my order"), F("track parcel"), F("reset password") };
        var positives = new[] { F("money back please"), F("where is my delivery"), F("forgot my login") };

        var gradient = new double[model.Weights.Length];
        ContrastiveLoss.Compute(model, anchors, positives, 0.1, gradient);
        var checkedCount = 0;
        for (var i = 0; i < model.Weights.Length; i += 7)
        {
            var original = model.Weights[i];
            const float eps = 1e-3f;
            model.Weights[i] = original + eps;
            var plus = ContrastiveLoss.Compute(model, anchors, positives, 0.1);
            model.Weights[i] = original - eps;
            var minus = ContrastiveLoss.Compute(model, anchors, positives, 0.1);
            model.Weights[i] = original;
            var numeric = (plus - minus) / ((double)(original + eps) - (original - eps));
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-4 + 1e-3 * Math.Abs(numeric), $"weight {i}: numeric {numeric}, analytic {gradient[i]}");
            if (gradient[i] != 0) checkedCount++;
        }
        Assert.True(checkedCount > 5);
    }

    [Fact]
    public void Training_pulls_paraphrases_together()
    {
        var corpus = new EmbeddingCorpus { KnowledgeRepeats = 0 };
        string[][] intents =
        [
            ["i want my money back", "please refund me", "refund my purchase", "can i get a refund", "give me my money back"],
            ["where is my parcel", "track my delivery", "my package has not arrived", "parcel tracking", "where is my order"],
            ["i forgot my password", "reset my password", "cannot log in", "password reset link", "locked out of my account"],
            ["change my address", "update delivery address", "wrong address on order", "edit my address", "new shipping address"],
        ];
        corpus.AddIntents(intents.SelectMany((texts, i) => texts.Select(t => new IntentExample(t, $"i{i}"))));
        var model = new EmbeddingTrainer(new EmbeddingTrainingOptions(Dimensions: 16, Buckets: 4_096, BatchSize: 4, Epochs: 30, Seed: 3), TextWriter.Null)
            .Train(corpus.PairsForEpoch);
        float Sim(string a, string b) => VectorMath.Dot(model.Embed(a), model.Embed(b));
        Assert.True(Sim("refund me please", "i want my money back") > Sim("refund me please", "where is my parcel"));
        Assert.True(Sim("reset password", "cannot log in") > Sim("reset password", "update delivery address"));
    }

    [Fact]
    public async Task Model_file_round_trips_and_bad_files_name_the_regenerating_command()
    {
        var dir = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(dir, "m.ssemb");
        var model = EmbeddingModel.CreateRandom(8, 64, seed: 1);
        model.Save(path);
        var loaded = EmbeddingModel.Load(path);
        Assert.Equal((8, 64), (loaded.Dimensions, loaded.Buckets));
        Assert.Equal(model.Embed("where is my order"), loaded.Embed("where is my order"), (a, b) => Math.Abs(a - b) < 2e-3f);

        using var generator = new HashedEmbeddingGenerator(loaded);
        var embeddings = await generator.GenerateAsync(["where is my order"]);
        Assert.Equal(loaded.Embed("where is my order"), embeddings[0].Vector.ToArray());
        Assert.Equal(1f, VectorMath.Dot(embeddings[0].Vector.Span, embeddings[0].Vector.Span), 4);

        await File.WriteAllBytesAsync(path, "not a model at all"u8.ToArray());
        Assert.Contains("supportslm kb train-embeddings", Assert.Throws<RetrievalException>(() => EmbeddingModel.Load(path)).Message);
        Assert.Contains("supportslm kb train-embeddings", Assert.Throws<RetrievalException>(() => EmbeddingModel.Load(Path.Combine(dir, "missing.ssemb"))).Message);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Shipped_model_is_small_and_separates_held_out_banking_queries()
    {
        var file = new FileInfo(RepositoryPaths.DefaultEmbeddingModel);
        Assert.True(file.Exists, $"{file.FullName} is missing; run `supportslm kb train-embeddings`.");
        Assert.True(file.Length <= 5_000_000, $"{file.Length} bytes");
        var model = EmbeddingModel.Load(file.FullName);
        Assert.True(VectorMath.Dot(model.Embed("my card hasn't arrived yet"), model.Embed("when will my new card be delivered")) >
                    VectorMath.Dot(model.Embed("my card hasn't arrived yet"), model.Embed("how do i change my pin")));
    }
}
