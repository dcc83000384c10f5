using Microsoft.Extensions.AI;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Orchestration.Prompting;

/// <summary>A prompt ready for the model and the passages it numbers ([1] is <c>Passages[0]</c>).</summary>
internal sealed record AssembledPrompt(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<KnowledgeHit> Passages, int Characters, int HistoryMessages);

/// <summary>
/// Builds the chat for one turn within a character budget: a system message (the bot's instructions, the grounding rules,
/// the numbered passages), then as many recent turns as fit, then the question. Plain system/user/assistant messages so a
/// ChatML template renders them without tool or multimodal parts.
/// </summary>
internal static class PromptBuilder
{
    /// <summary>
    /// The bot's prompt, the rules and the question are always kept (the customer must get an answer to what they asked).
    /// What is left of the budget goes first to passages in rank order — an answer without them cannot be grounded — then to
    /// history, newest first, stopping at the first message that does not fit so the kept history has no gaps.
    /// </summary>
    public static AssembledPrompt Build(string botPrompt, IReadOnlyList<KnowledgeHit> hits, IReadOnlyList<Message> history, string question, int budgetChars)
    {
        var passages = GroundedPrompt.Fitting(hits, GroundedPrompt.Header(botPrompt).Length + question.Length, budgetChars, out var used);

        var kept = new List<ChatMessage>();
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var text = history[i].Text;
            if (used + text.Length > budgetChars) break;
            kept.Add(new ChatMessage(history[i].Role == MessageRole.Customer ? ChatRole.User : ChatRole.Assistant, text));
            used += text.Length;
        }
        kept.Reverse();

        var messages = new List<ChatMessage>(kept.Count + 2) { new(ChatRole.System, GroundedPrompt.System(botPrompt, passages)) };
        messages.AddRange(kept);
        messages.Add(new ChatMessage(ChatRole.User, question));
        return new AssembledPrompt(messages, passages, messages.Sum(m => m.Text.Length), kept.Count);
    }
}
