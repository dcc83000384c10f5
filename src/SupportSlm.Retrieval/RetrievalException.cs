namespace SupportSlm.Retrieval;

/// <summary>A knowledge-base operation failed for a reason the operator can fix (bad input, missing model, unknown base).</summary>
public sealed class RetrievalException(string message, Exception? inner = null) : Exception(message, inner);
