namespace SupportSlm.Admin;

/// <summary>A portal operation was refused: bad input, a conflicting edit, or a capability that is not configured. The message is shown to the user.</summary>
public sealed class AdminException(string message, Exception? inner = null) : Exception(message, inner);
