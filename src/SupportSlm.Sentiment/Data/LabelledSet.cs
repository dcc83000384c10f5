namespace SupportSlm.Sentiment.Data;

/// <summary>One data set with its train and dev parts. Dev is never trained on (temperature scaling only reads it).</summary>
public sealed record LabelledSet(string Name, LabelScheme Scheme, IReadOnlyList<LabelledText> Train, IReadOnlyList<LabelledText> Dev, string DevSource);
