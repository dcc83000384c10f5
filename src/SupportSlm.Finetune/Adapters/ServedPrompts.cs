using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Tokenizers;

namespace SupportSlm.Finetune.Adapters;

/// <summary>The bot whose prompts an adapter learns: its instructions and the knowledge-base version it searches.</summary>
internal sealed record ServingBot(string Name, string SystemPrompt, int? PinnedKnowledgeBaseVersion);

/// <summary>One curated example as the model will see it when serving: the rendered prompt and the reply to learn.</summary>
internal sealed record ServedExample(string Prompt, string Reply);

/// <summary>
/// Renders curated examples exactly as the turn pipeline prompts the model: the question's passages from the knowledge
/// base (the retrieval port, the bot's pinned version), kept in rank order while they fit the character budget, in the
/// shared grounded system turn (<see cref="GroundedPrompt"/>), then the model folder's chat template with the generation
/// prompt. The reply is the answer plus the template's end-of-turn marker, which the model must learn to emit.
/// A question without a fitting passage is left out: serving declines such a turn without asking the model.
/// </summary>
internal sealed class ServedPrompts(IKnowledgeRetriever retriever, int topPassages, int budgetChars)
{
    public async Task<IReadOnlyList<ServedExample>> RenderAsync(string knowledgeBase, ServingBot bot, ChatTemplate template,
        IReadOnlyList<FineTuneExample> examples, CancellationToken cancellationToken)
    {
        var rendered = new List<ServedExample>(examples.Count);
        foreach (var example in examples)
        {
            string question = example.Question.Trim();
            var hits = await retriever.SearchAsync(knowledgeBase, question, topPassages, bot.PinnedKnowledgeBaseVersion, cancellationToken);
            // No history: curated examples are single questions.
            var passages = GroundedPrompt.Fitting(hits, GroundedPrompt.Header(bot.SystemPrompt).Length + question.Length, budgetChars, out _);
            if (passages.Count == 0) continue;
            var turns = new[] { new ChatTurn("system", GroundedPrompt.System(bot.SystemPrompt, passages)), new ChatTurn("user", question) };
            rendered.Add(new ServedExample(template.Render(turns, addGenerationPrompt: true), example.Answer.Trim() + template.StopStrings[0]));
        }
        return rendered;
    }
}
