namespace SupportSlm.Orchestration;

/// <summary>A turn cannot be handled: the bot is unknown, or the message cannot be accepted on this conversation.</summary>
public sealed class OrchestrationException(string message, Exception? inner = null) : Exception(message, inner);
