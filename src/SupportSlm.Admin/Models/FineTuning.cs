using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportSlm.Admin.Auditing;
using SupportSlm.Admin.Conversations;
using SupportSlm.Domain;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence;

namespace SupportSlm.Admin.Models;

/// <summary>What the portal's "Start fine-tuning" form asks for; stored as the job's configuration JSON.</summary>
public sealed record FineTuneSettings(string AdapterName, Guid BaseModelId, Guid KnowledgeBaseId, Guid? BotId, int Rank, double Alpha, int Steps, double LearningRate);

/// <summary>
/// Queues LoRA fine-tuning jobs and runs them one at a time in the background through <see cref="IFineTuningRunner"/>,
/// recording progress on the job row and the loss curve in memory for the live chart.
/// </summary>
public sealed class FineTuning(
    IDbContextFactory<SupportSlmDbContext> contexts,
    TrainingExamples examples,
    ModelAdministration models,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<FineTuning> logger,
    IFineTuningRunner? runner = null) : BackgroundService
{
    private readonly Channel<Guid> queue = Channel.CreateUnbounded<Guid>();
    private readonly ConcurrentDictionary<Guid, List<FineTuneProgress>> curves = new();

    /// <summary>The training capability's runner; null when the host has none (the portal then offers no fine-tuning).</summary>
    public IFineTuningRunner? Runner => runner;

    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The losses reported so far for a job of this process (empty for other jobs).</summary>
    public IReadOnlyList<FineTuneProgress> LossCurve(Guid jobId)
    {
        if (!curves.TryGetValue(jobId, out var curve)) return [];
        lock (curve) return curve.ToList();
    }

    public async Task<TrainingJob> StartAsync(FineTuneSettings settings, string actor, CancellationToken cancellationToken)
    {
        if (Runner is null) throw new AdminException("Fine-tuning is provided by the training capability, which is not configured in this host.");
        if (!System.Text.RegularExpressions.Regex.IsMatch(settings.AdapterName, "^[a-z0-9_-]{1,64}$"))
            throw new AdminException($"Adapter name '{settings.AdapterName}' may contain only lower-case letters, digits, '-' and '_' (at most 64).");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Models.AnyAsync(m => m.Id == settings.BaseModelId, cancellationToken)) throw new AdminException("Choose a base model.");
        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == settings.KnowledgeBaseId, cancellationToken)) throw new AdminException("Choose a knowledge base.");
        if (await db.Adapters.AnyAsync(a => a.Name == settings.AdapterName, cancellationToken))
            throw new AdminException($"An adapter named '{settings.AdapterName}' already exists.");
        if (settings.Steps is < 1 or > 1_000_000 || settings.Rank is < 1 or > 1024 || !(settings.LearningRate is > 0 and < 1) || !(settings.Alpha > 0))
            throw new AdminException("Steps (1..1,000,000), rank (1..1024), alpha (> 0) and learning rate (0..1) are out of range.");
        var job = new TrainingJob(TrainingKind.Lora, JsonSerializer.Serialize(settings), actor, clock.GetUtcNow());
        db.TrainingJobs.Add(job);
        audit.Add(db, actor, "training.start", $"job:{job.Id}", job.ConfigJson);
        await db.SaveChangesAsync(cancellationToken);
        curves[job.Id] = [];
        await queue.Writer.WriteAsync(job.Id, cancellationToken);
        return job;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await AbandonInterruptedJobsAsync(stoppingToken);
        await foreach (var jobId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(jobId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Fine-tuning job {JobId} failed", jobId);
                await FinishAsync(jobId, j => j.Fail(e.Message.Length > 4_000 ? e.Message[..4_000] : e.Message, clock.GetUtcNow()), CancellationToken.None);
            }
        }
    }

    private async Task RunAsync(Guid jobId, CancellationToken cancellationToken)
    {
        FineTuneSettings settings;
        ModelArtifact model;
        string kbName;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var job = await db.TrainingJobs.FirstAsync(j => j.Id == jobId, cancellationToken);
            settings = JsonSerializer.Deserialize<FineTuneSettings>(job.ConfigJson)!;
            model = await db.Models.AsNoTracking().FirstAsync(m => m.Id == settings.BaseModelId, cancellationToken);
            kbName = await db.KnowledgeBases.Where(k => k.Id == settings.KnowledgeBaseId).Select(k => k.Name).FirstAsync(cancellationToken);
            job.Start(settings.Steps, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        var curated = (await examples.ListAsync(settings.BotId, cancellationToken)).Select(e => new FineTuneExample(e.Question, e.Answer)).ToList();
        var output = Path.Combine(models.AdapterDirectory, $"{settings.AdapterName}-{jobId:N}{ModelAdministration.AdapterExtension}");
        Directory.CreateDirectory(models.AdapterDirectory);
        var curve = curves.GetOrAdd(jobId, _ => []);
        var progress = new JobProgress(this, jobId, curve);
        var result = await Runner!.RunAsync(
            new FineTuneRequest(jobId, model, kbName, curated, settings.Rank, settings.Alpha, settings.Steps, settings.LearningRate, output),
            progress, cancellationToken);
        await progress.FlushAsync(cancellationToken);

        var adapter = new Adapter(settings.AdapterName, model.Id, settings.Rank, settings.Alpha, result.AdapterPath,
            ModelAdministration.HashFile(result.AdapterPath), clock.GetUtcNow());
        adapter.RecordMetrics(result.Metrics);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Adapters.Add(adapter);
            var job = await db.TrainingJobs.FirstAsync(j => j.Id == jobId, cancellationToken);
            job.Succeed(adapter.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Jobs left running by a previous process cannot resume: they are marked failed so they do not look alive.</summary>
    private async Task AbandonInterruptedJobsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var stale = await db.TrainingJobs.Where(j => j.Status == TrainingStatus.Running || j.Status == TrainingStatus.Queued).ToListAsync(cancellationToken);
            foreach (var job in stale) job.Fail("The host stopped while this job was queued or running; start it again.", clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            logger.LogDebug(e, "No training jobs to abandon (database not ready yet).");
        }
    }

    private async Task FinishAsync(Guid jobId, Action<TrainingJob> finish, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var job = await db.TrainingJobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || job.IsFinished) return;
        try
        {
            finish(job);
        }
        catch (DomainException)
        {
            return;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Keeps every step for the chart; writes the job row at most twice a second.</summary>
    private sealed class JobProgress(FineTuning owner, Guid jobId, List<FineTuneProgress> curve) : IProgress<FineTuneProgress>
    {
        private DateTimeOffset lastWrite = DateTimeOffset.MinValue;
        private FineTuneProgress? latest;

        public void Report(FineTuneProgress value)
        {
            lock (curve) curve.Add(value);
            latest = value;
            var now = owner.Now;
            if (now - lastWrite < TimeSpan.FromMilliseconds(500)) return;
            lastWrite = now;
            FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        public Task FlushAsync(CancellationToken cancellationToken) => latest is { } p
            ? owner.RecordProgressAsync(jobId, p, cancellationToken)
            : Task.CompletedTask;
    }

    private async Task RecordProgressAsync(Guid jobId, FineTuneProgress p, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var job = await db.TrainingJobs.FirstAsync(j => j.Id == jobId, cancellationToken);
        if (job.Status != TrainingStatus.Running) return;
        job.ReportProgress(Math.Min(p.Step, job.TotalSteps), p.Loss);
        await db.SaveChangesAsync(cancellationToken);
    }
}
