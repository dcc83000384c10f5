using Microsoft.Extensions.Options;
using SupportSlm.Domain;
using SupportSlm.Persistence;

namespace SupportSlm.Cli;

/// <summary>Expected failures (bad settings, unreachable database, bad files) print one line; anything else is a bug and crashes loudly.</summary>
internal static class OperatorError
{
    public const int ExitCode = 2;

    public static string? Describe(Exception e) => e switch
    {
        OptionsValidationException v => string.Join(" ", v.Failures),
        PersistenceException or DomainException => e.Message,
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => null,
    };
}
