namespace SupportSlm.Evaluation;

/// <summary>The one exception type of SupportSlm.Evaluation for expected failures (bad input files, empty sets); the message says what to do.</summary>
public sealed class EvaluationException(string message, Exception? inner = null) : Exception(message, inner);
