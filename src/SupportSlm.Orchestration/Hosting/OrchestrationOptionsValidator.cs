using Microsoft.Extensions.Options;

namespace SupportSlm.Orchestration.Hosting;

/// <summary>Checks the "Orchestration" section at start-up so a bad setting stops the host with a message naming it.</summary>
public sealed class OrchestrationOptionsValidator : IValidateOptions<OrchestrationOptions>
{
    public ValidateOptionsResult Validate(string? name, OrchestrationOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Model))
            failures.Add("Orchestration:Model is required: the model name bots without an active adapter answer with (a registered model's name, as the admin portal's Models page lists it).");
        if (o.TopPassages is < 1 or > 20)
            failures.Add($"Orchestration:TopPassages must be between 1 and 20 (was {o.TopPassages}).");
        if (o.ContextBudgetChars is < 1_000 or > 400_000)
            failures.Add($"Orchestration:ContextBudgetChars must be between 1000 and 400000 (was {o.ContextBudgetChars}).");
        if (o.RecentMessages is < 0 or > 100)
            failures.Add($"Orchestration:RecentMessages must be between 0 and 100 (was {o.RecentMessages}).");
        if (o.MaxAnswerTokens is < 16 or > 8_192)
            failures.Add($"Orchestration:MaxAnswerTokens must be between 16 and 8192 (was {o.MaxAnswerTokens}).");
        if (double.IsNaN(o.Temperature) || o.Temperature is < 0 or > 2)
            failures.Add($"Orchestration:Temperature must be between 0 and 2 (was {o.Temperature}).");
        if (o.TurnTimeout < TimeSpan.FromSeconds(1) || o.TurnTimeout > TimeSpan.FromMinutes(10))
            failures.Add($"Orchestration:TurnTimeout must be between 00:00:01 and 00:10:00 (was {o.TurnTimeout}).");
        if (!Enum.IsDefined(o.UnsupportedAnswer))
            failures.Add($"Orchestration:UnsupportedAnswer must be Decline or HandOff (was {o.UnsupportedAnswer}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
