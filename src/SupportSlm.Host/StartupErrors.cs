using Microsoft.Extensions.Options;
using SupportSlm.Channels;
using SupportSlm.Inference;
using SupportSlm.Persistence;
using SupportSlm.Retrieval;

namespace SupportSlm.Host;

/// <summary>Turns configuration and database failures at start-up into one readable line and a non-zero exit code.</summary>
internal static class StartupErrors
{
    public const int ConfigurationExitCode = 2;

    public static async Task<int> RunReportingStartupErrorsAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            await Console.Error.WriteLineAsync($"SupportSlm cannot start: {message}");
            return ConfigurationExitCode;
        }
    }

    /// <summary>The operator-facing message for an expected start-up failure; null for anything else (which should crash loudly).</summary>
    public static string? Describe(Exception e) => e switch
    {
        OptionsValidationException v => string.Join(" ", v.Failures),
        PersistenceException p => p.Message,
        InferenceException i => $"{i.Message} Rebuild the model folder with `{LanguageModel.RebuildCommand}` or fix {LanguageModel.ModelPathKey}.",
        RetrievalException r => r.Message,
        ChannelsException c => c.Message,
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
            $"{io.Message} Choose another address with --urls or the ASPNETCORE_URLS setting.",
        // Several sections can fail at once (a shared setting such as Orchestration:ContextBudgetChars feeds more than one): one line for all.
        AggregateException a when a.InnerExceptions.All(inner => Describe(inner) is not null) => string.Join(" ", a.InnerExceptions.Select(Describe)),
        _ => null,
    };
}
