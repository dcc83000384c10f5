namespace SupportSlm.Persistence;

/// <summary>The database could not be reached, created or migrated.</summary>
public sealed class PersistenceException(string message, Exception? inner = null) : Exception(message, inner);
