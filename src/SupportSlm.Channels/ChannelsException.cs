namespace SupportSlm.Channels;

/// <summary>A channel could not do its job: an outbound call to a connector failed, a token could not be obtained, a setting is unusable.</summary>
public sealed class ChannelsException(string message, Exception? inner = null) : Exception(message, inner);
