namespace SupportSlm.Domain;

/// <summary>An entity invariant was violated: the caller asked for a state the domain does not allow.</summary>
public sealed class DomainException(string message) : Exception(message);
