using Microsoft.Extensions.AI;

namespace SupportSlm.Channels.OpenAi;

/// <summary>A model served as is (no retrieval, no guard) under <see cref="Id"/> on /v1; register one per model with DI.</summary>
public sealed record RawChatModel(string Id, IChatClient Client);
