using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupportSlm.Domain.Models;

namespace SupportSlm.Admin.Models;

/// <summary>Where an adapter's evaluation stands: queued, running (answers so far of all), or failed with a reason for people.</summary>
public sealed record EvaluationStatus(EvaluationState State, int Answered, int Total, string? Error)
{
    public bool InProgress => State is EvaluationState.Queued or EvaluationState.Running;

    public string Text => State switch
    {
        EvaluationState.Queued => "Evaluation queued",
        EvaluationState.Running when Total > 0 => $"Evaluating… {Answered}/{Total} answers",
        EvaluationState.Running => "Evaluating…",
        _ => $"Evaluation failed: {Error}",
    };
}

public enum EvaluationState
{
    Queued,
    Running,
    Failed,
}

/// <summary>
/// The portal's "Evaluate", run in the background: an evaluation answers dozens of questions twice (about a minute on
/// two cores), longer than a button click should hold the page, and the page may be closed meanwhile. Evaluations run one
/// at a time in request order (they share the CPU with customers' turns), an adapter is queued at most once, and the
/// metrics land on the adapter row when done; a failure stays on the row until the adapter is evaluated again. Statuses
/// live in this process only: a host that stops drops its queue, and nothing half-done is recorded.
/// </summary>
public sealed class AdapterEvaluations(ModelAdministration models, ILogger<AdapterEvaluations> logger) : BackgroundService
{
    private readonly Channel<(Guid AdapterId, string Actor)> queue = Channel.CreateUnbounded<(Guid, string)>();
    private readonly Dictionary<Guid, EvaluationStatus> statuses = [];

    public EvaluationStatus? StatusOf(Guid adapterId)
    {
        lock (statuses) return statuses.GetValueOrDefault(adapterId);
    }

    public async Task QueueAsync(Guid adapterId, string actor, CancellationToken cancellationToken)
    {
        var name = await models.EvaluableAdapterAsync(adapterId, cancellationToken);
        lock (statuses)
        {
            if (statuses.GetValueOrDefault(adapterId) is { InProgress: true })
                throw new AdminException($"Adapter '{name}' is already being evaluated; its metrics appear here when the run ends.");
            statuses[adapterId] = new EvaluationStatus(EvaluationState.Queued, 0, 0, null);
        }
        await queue.Writer.WriteAsync((adapterId, actor), cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (adapterId, actor) in queue.Reader.ReadAllAsync(stoppingToken))
        {
            Set(adapterId, new EvaluationStatus(EvaluationState.Running, 0, 0, null));
            try
            {
                await models.EvaluateAsync(adapterId, actor, new StatusProgress(this, adapterId), stoppingToken);
                lock (statuses) statuses.Remove(adapterId);
            }
            catch (AdminException e)
            {
                Set(adapterId, new EvaluationStatus(EvaluationState.Failed, 0, 0, e.Message));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Evaluating adapter {AdapterId} failed", adapterId);
                Set(adapterId, new EvaluationStatus(EvaluationState.Failed, 0, 0, "an unexpected error; the server log has the details."));
            }
        }
    }

    private void Set(Guid adapterId, EvaluationStatus status)
    {
        lock (statuses) statuses[adapterId] = status;
    }

    /// <summary>Reports straight into the status (not <see cref="Progress{T}"/>, which would post each report to the thread pool).</summary>
    private sealed class StatusProgress(AdapterEvaluations owner, Guid adapterId) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) =>
            owner.Set(adapterId, new EvaluationStatus(EvaluationState.Running, value.Answered, value.Total, null));
    }
}
