using SupportSlm.Evaluation.Tasks;

namespace SupportSlm.Evaluation.Report;

/// <summary>Everything one `supportslm eval` run measured; a task that was not run is null.</summary>
public sealed record EvalRun(
    string ModelPath,
    string BotName,
    string Command,
    DateTimeOffset At,
    TimeSpan Elapsed,
    PerplexityResult? Perplexity,
    BitextResult? Bitext,
    GroundedQaResult? GroundedQa);
