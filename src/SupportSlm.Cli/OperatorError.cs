using Microsoft.Extensions.Options;
using SupportSlm.Domain;
using SupportSlm.Evaluation;
using SupportSlm.Persistence;
using SupportSlm.Finetune;
using SupportSlm.Inference;
using SupportSlm.Orchestration;
using SupportSlm.Retrieval;
using SupportSlm.Sentiment;
using SupportSlm.Tokenizers;
using SupportSlm.Training;

namespace SupportSlm.Cli;

/// <summary>Expected failures (bad settings, unreachable database, bad files) print one line; anything else is a bug and crashes loudly.</summary>
internal static class OperatorError
{
    public const int ExitCode = 2;

    public static string? Describe(Exception e) => e switch
    {
        OptionsValidationException v => string.Join(" ", v.Failures),
        PersistenceException or DomainException or RetrievalException or SentimentException or TokenizerException
            or InferenceException or OrchestrationException or TrainingException or FinetuneException or EvaluationException => e.Message,
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => null,
    };
}
