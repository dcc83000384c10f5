using System.Text;

namespace SupportSlm.Domain.Knowledge;

/// <summary>
/// The grounded system turn, word for word, shared by the turn pipeline (which serves it) and the shipped model's
/// training data (which teaches it): a model answers well only when it reads at serving time the layout it was trained on.
/// </summary>
public static class GroundedPrompt
{
    public const string GroundingRules =
        "Answer the customer's question using only the numbered passages below. Cite every passage you use as [n], e.g. [1]. " +
        "If the passages do not answer the question, say that you don't know — never invent policies, prices or dates.";

    /// <summary>The bot's own instructions, the grounding rules and the heading the numbered passages follow.</summary>
    public static string Header(string botPrompt) => botPrompt.Trim() + "\n\n" + GroundingRules + "\n\nPassages:\n";

    /// <summary>One passage as "[n] title", its snippet and a blank line.</summary>
    public static string Passage(int number, KnowledgeHit hit) => $"[{number}] {hit.Title}\n{hit.Snippet.Trim()}\n\n";

    /// <summary>The whole system turn for these passages, numbered from 1 in the order given.</summary>
    public static string System(string botPrompt, IReadOnlyList<KnowledgeHit> passages)
    {
        var sb = new StringBuilder(Header(botPrompt));
        for (int i = 0; i < passages.Count; i++) sb.Append(Passage(i + 1, passages[i]));
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// The passages a prompt keeps within <paramref name="budgetChars"/> when <paramref name="usedChars"/> are already
    /// spent (header, question): each hit in rank order if its block still fits, so a long one does not crowd out the rest.
    /// Serving and fine-tuning call this one rule, so an adapter learns from the passages it will be shown.
    /// </summary>
    public static IReadOnlyList<KnowledgeHit> Fitting(IReadOnlyList<KnowledgeHit> hits, int usedChars, int budgetChars, out int totalChars)
    {
        var kept = new List<KnowledgeHit>();
        foreach (var hit in hits)
        {
            int length = Passage(kept.Count + 1, hit).Length;
            if (usedChars + length > budgetChars) continue;
            kept.Add(hit);
            usedChars += length;
        }
        totalChars = usedChars;
        return kept;
    }
}
