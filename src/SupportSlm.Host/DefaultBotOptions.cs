using Microsoft.Extensions.Options;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Host;

/// <summary>The "DefaultBot" section: the bot created on first run so a fresh install answers customers at once.</summary>
internal sealed class DefaultBotOptions
{
    public const string Section = "DefaultBot";

    /// <summary>False: create no bot (an operator creates bots in the admin portal).</summary>
    public bool Seed { get; set; } = true;

    public string Name { get; set; } = "default";

    public string DisplayName { get; set; } = "Support";

    /// <summary>The knowledge base it answers from; the bot is created only once that knowledge base exists.</summary>
    public string KnowledgeBase { get; set; } = "default";

    public string SystemPrompt { get; set; } = "";
}

internal sealed class DefaultBotOptionsValidator : IValidateOptions<DefaultBotOptions>
{
    public ValidateOptionsResult Validate(string? name, DefaultBotOptions o)
    {
        if (!o.Seed) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (!IsSlug(o.Name))
            failures.Add($"DefaultBot:Name '{o.Name}' is not a bot name (1-64 lower-case letters, digits, '-', '_').");
        if (string.IsNullOrWhiteSpace(o.DisplayName) || o.DisplayName.Length > 128)
            failures.Add("DefaultBot:DisplayName must be 1-128 characters.");
        if (string.IsNullOrWhiteSpace(o.KnowledgeBase))
            failures.Add("DefaultBot:KnowledgeBase is required: the knowledge base the default bot answers from.");
        if (string.IsNullOrWhiteSpace(o.SystemPrompt) || o.SystemPrompt.Length > Bot.MaxSystemPromptLength)
            failures.Add($"DefaultBot:SystemPrompt must be 1-{Bot.MaxSystemPromptLength} characters.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsSlug(string? s) =>
        s is { Length: > 0 and <= 64 } && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
