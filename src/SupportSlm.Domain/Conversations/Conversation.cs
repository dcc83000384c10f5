using SupportSlm.Domain.Bots;

namespace SupportSlm.Domain.Conversations;

/// <summary>A customer's conversation with one bot on one channel; owns the hand-off state machine.</summary>
public sealed class Conversation
{
    private Conversation() { ExternalId = null!; CustomerId = null!; }

    public Conversation(Bot bot, Channel channel, string externalId, string customerId, string? customerName, DateTimeOffset now)
    {
        if (!bot.EnabledChannels.Allows(channel))
            throw new DomainException($"Bot '{bot.Name}' is not enabled on {channel}.");
        Id = Guid.NewGuid();
        BotId = bot.Id;
        Channel = channel;
        ExternalId = Guard.NotBlank(externalId, "External conversation id", 256);
        CustomerId = Guard.NotBlank(customerId, "Customer id", 256);
        CustomerName = Guard.Optional(customerName, "Customer name", 256);
        State = ConversationState.Bot;
        StartedAt = LastActivityAt = now;
    }

    public Guid Id { get; private set; }
    public Guid BotId { get; private set; }
    public Channel Channel { get; private set; }
    /// <summary>The channel's own conversation id (Direct Line conversationId, Teams conversation.id).</summary>
    public string ExternalId { get; private set; }
    public string CustomerId { get; private set; }
    public string? CustomerName { get; private set; }
    public ConversationState State { get; private set; }
    /// <summary>The agent who took over; set only while handed off.</summary>
    public string? AgentId { get; private set; }
    public string? HandOffReason { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset LastActivityAt { get; private set; }

    public Message AddCustomerMessage(string text, DateTimeOffset at) => Add(MessageRole.Customer, text, CustomerId, at);

    public Message AddBotMessage(string text, DateTimeOffset at)
    {
        if (State != ConversationState.Bot)
            throw new DomainException($"The bot cannot answer a conversation that is {State}.");
        return Add(MessageRole.Bot, text, null, at);
    }

    public Message AddAgentMessage(string agentId, string text, DateTimeOffset at)
    {
        if (State != ConversationState.HandedOff || AgentId != agentId)
            throw new DomainException("Only the agent who took over this conversation can reply in it.");
        return Add(MessageRole.Agent, text, agentId, at);
    }

    /// <summary>Hands the conversation to humans (queue) — the bot stops answering. The agent is set when one takes over.</summary>
    public void HandOff(string reason, DateTimeOffset at)
    {
        EnsureOpen();
        HandOffReason = Guard.NotBlank(reason, "Hand-off reason", 512);
        State = ConversationState.HandedOff;
        LastActivityAt = at;
    }

    public void TakeOver(string agentId, DateTimeOffset at)
    {
        EnsureOpen();
        if (State == ConversationState.HandedOff && AgentId is not null && AgentId != agentId)
            throw new DomainException($"Agent '{AgentId}' already handles this conversation.");
        AgentId = Guard.NotBlank(agentId, "Agent id", 256);
        HandOffReason ??= "Taken over by an agent";
        State = ConversationState.HandedOff;
        LastActivityAt = at;
    }

    public void ReturnToBot(DateTimeOffset at)
    {
        if (State != ConversationState.HandedOff)
            throw new DomainException($"Only a handed-off conversation can return to the bot (it is {State}).");
        State = ConversationState.Bot;
        AgentId = null;
        HandOffReason = null;
        LastActivityAt = at;
    }

    public void Close(DateTimeOffset at)
    {
        EnsureOpen();
        State = ConversationState.Closed;
        AgentId = null;
        LastActivityAt = at;
    }

    private Message Add(MessageRole role, string text, string? authorId, DateTimeOffset at)
    {
        EnsureOpen();
        if (at < StartedAt) throw new DomainException("A message cannot predate its conversation.");
        LastActivityAt = at > LastActivityAt ? at : LastActivityAt;
        return new Message(this, role, text, authorId, at);
    }

    private void EnsureOpen()
    {
        if (State == ConversationState.Closed) throw new DomainException("The conversation is closed.");
    }
}
