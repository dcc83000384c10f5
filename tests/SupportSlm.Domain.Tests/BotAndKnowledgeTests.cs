using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using static SupportSlm.Domain.Tests.Samples;

namespace SupportSlm.Domain.Tests;

public sealed class BotAndKnowledgeTests
{
    [Theory]
    [InlineData("Default")]
    [InlineData("my bot")]
    [InlineData("bot/1")]
    public void Bot_names_are_slugs(string name) =>
        Assert.Throws<DomainException>(() => new Bot(name, "x", "prompt", Guid.NewGuid(), T0));

    [Fact]
    public void Bot_needs_a_knowledge_base_and_a_channel()
    {
        Assert.Throws<DomainException>(() => new Bot("b", "x", "prompt", Guid.Empty, T0));
        Assert.Throws<DomainException>(() => Bot().SetChannels(ChannelSet.None, T0));
    }

    [Fact]
    public void Only_ready_adapters_activate()
    {
        var bot = Bot();
        var adapter = new Adapter("support-v1", Guid.NewGuid(), 8, 16, "adapters/support-v1.onnx_adapter", Hash, T0);
        bot.ActivateAdapter(adapter, T0.AddMinutes(1));
        Assert.Equal(adapter.Id, bot.ActiveAdapterId);
        Assert.Equal(T0.AddMinutes(1), bot.UpdatedAt);

        adapter.Retire();
        Assert.Throws<DomainException>(() => bot.ActivateAdapter(adapter, T0));
    }

    [Theory]
    [InlineData(0.1, 2, 0.3)]
    [InlineData(-0.5, 0, 0.3)]
    [InlineData(-0.5, 2, 1.5)]
    public void Escalation_thresholds_are_range_checked(double score, int turns, double grounding) =>
        Assert.Throws<DomainException>(() => new EscalationThresholds(score, turns, grounding));

    [Fact]
    public void Document_revision_bumps_only_on_changed_content()
    {
        var kb = Kb();
        var doc = new Document(kb.Id, "returns.md", "Returns", "text/markdown", Hash, kb.Version, T0);
        Assert.False(doc.Revise("Returns", Hash, 2, T0));
        Assert.Equal(1, doc.Version);

        var other = new string('a', 64);
        Assert.True(doc.Revise("Returns policy", other, 2, T0));
        Assert.Equal(2, doc.Version);
        Assert.Equal(2, doc.AddedInVersion);

        doc.Remove(3);
        Assert.False(doc.IsLive);
        Assert.Throws<DomainException>(() => doc.Remove(4));
    }

    [Theory]
    [InlineData("ABCDEF")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    public void Hashes_must_be_lower_case_sha256(string hash) =>
        Assert.Throws<DomainException>(() => new Document(Guid.NewGuid(), "a.md", "A", "text/markdown", hash, 1, T0));

    [Fact]
    public void Chunk_embedding_round_trips_as_float32_bytes()
    {
        var chunk = new Chunk(Guid.NewGuid(), 0, "Window", "window", "You have 30 days.", 6, Hash);
        chunk.SetEmbedding([0.5f, -1f]);
        Assert.Equal(8, chunk.Embedding!.Length);
        Assert.Equal(-1f, BitConverter.ToSingle(chunk.Embedding, 4));
    }

    [Fact]
    public void Training_job_state_machine()
    {
        var job = new TrainingJob(TrainingKind.Lora, "{}", "admin", T0);
        Assert.Throws<DomainException>(() => job.ReportProgress(1, 2.0));
        job.Start(10, T0);
        job.ReportProgress(3, 2.5);
        Assert.Throws<DomainException>(() => job.ReportProgress(2, 2.4));
        Assert.Throws<DomainException>(() => job.ReportProgress(4, double.NaN));
        job.Succeed(null, T0.AddMinutes(5));
        Assert.True(job.IsFinished);
        Assert.Throws<DomainException>(() => job.Cancel(T0));
    }

    [Fact]
    public void Metrics_must_be_finite()
    {
        var model = new ModelArtifact("default", "models/default", Hash, 1_000_000, T0);
        Assert.Throws<DomainException>(() => model.RecordMetrics(new Dictionary<string, double> { ["ppl"] = double.PositiveInfinity }));
        model.RecordMetrics(new Dictionary<string, double> { ["ppl"] = 12.5 });
        Assert.Equal(12.5, model.Metrics["ppl"]);
    }
}
