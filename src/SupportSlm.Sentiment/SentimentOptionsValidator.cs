using Microsoft.Extensions.Options;

namespace SupportSlm.Sentiment;

/// <summary>Checks the "Sentiment" section at start so a wrong path stops the host with a message naming the setting.</summary>
public sealed class SentimentOptionsValidator : IValidateOptions<SentimentOptions>
{
    public ValidateOptionsResult Validate(string? name, SentimentOptions o)
    {
        if (!Enum.TryParse<SentimentTaggerKind>(o.Tagger, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return ValidateOptionsResult.Fail($"Sentiment:Tagger '{o.Tagger}' is not supported; use Auto, Model or Lexicon.");
        }

        var errors = new List<string>();
        if (o.IntraOpThreads is < 1 or > 64)
        {
            errors.Add($"Sentiment:IntraOpThreads must be between 1 and 64 (was {o.IntraOpThreads}).");
        }

        try
        {
            if (kind == SentimentTaggerKind.Model && !File.Exists(o.ResolvedModelPath))
            {
                errors.Add($"Sentiment:ModelPath '{o.ResolvedModelPath}' does not exist; create it with `supportslm sentiment train` or set Sentiment:Tagger to Lexicon.");
            }

            if (o.EffectiveTagger == SentimentTaggerKind.Lexicon && !File.Exists(o.ResolvedLexiconPath))
            {
                errors.Add($"Sentiment:LexiconPath '{o.ResolvedLexiconPath}' does not exist and no model is configured; point it at VADER's vader_lexicon.txt or set Sentiment:ModelPath.");
            }
        }
        catch (SentimentException e)
        {
            errors.Add(e.Message);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
