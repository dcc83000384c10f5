using System.Text.RegularExpressions;
using SupportSlm.Retrieval.Text;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>A chunk before it is stored: one heading section, or a window of one, within the token budget.</summary>
public sealed record ChunkDraft(string? Heading, string? Anchor, string Text, int TokenCount, string ContentHash);

/// <summary>
/// Splits sections into chunks: a section within the budget is one chunk (headings are the natural unit of a help
/// article); a longer one becomes sentence-aligned windows, each starting with the previous window's last sentences up
/// to the overlap, so a fact on a boundary is whole in at least one chunk. Duplicate chunk texts in a document are dropped.
/// </summary>
public sealed partial class Chunker(int tokenBudget, int overlapTokens)
{
    [GeneratedRegex(@"(?<=[.!?:;])\s+|\n+")]
    private static partial Regex SentenceBreak();

    public IReadOnlyList<ChunkDraft> Split(ParsedDocument document)
    {
        var drafts = new List<ChunkDraft>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in document.Sections)
        {
            foreach (var text in Windows(section.Text))
            {
                if (text.Length > Domain.Knowledge.Chunk.MaxTextLength) continue; // cannot happen within a sane budget; guards the column
                var hash = ContentHash.Of($"{section.Heading}\n{text}");
                if (!seen.Add(hash)) continue;
                drafts.Add(new ChunkDraft(Truncate(section.Heading, 512), Truncate(section.Anchor, 256), text, Math.Max(1, TextAnalyzer.CountTokens(text)), hash));
            }
        }
        return drafts;
    }

    private IEnumerable<string> Windows(string text)
    {
        if (TextAnalyzer.CountTokens(text) <= tokenBudget)
        {
            yield return text.Trim();
            yield break;
        }
        var sentences = SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0)
            .SelectMany(SplitLongSentence).ToList();
        var window = new List<(string Text, int Tokens)>();
        var tokens = 0;
        var added = 0; // sentences in the window that no earlier window emitted
        foreach (var sentence in sentences)
        {
            var n = TextAnalyzer.CountTokens(sentence);
            if (tokens + n > tokenBudget && added > 0)
            {
                yield return string.Join(" ", window.Select(w => w.Text));
                var keep = new List<(string, int)>();
                var kept = 0;
                for (var i = window.Count - 1; i >= 0 && kept + window[i].Tokens <= overlapTokens && kept + window[i].Tokens + n <= tokenBudget; i--)
                {
                    keep.Insert(0, window[i]);
                    kept += window[i].Tokens;
                }
                window = keep;
                tokens = kept;
                added = 0;
            }
            window.Add((sentence, n));
            tokens += n;
            added++;
        }
        if (added > 0) yield return string.Join(" ", window.Select(w => w.Text));
    }

    /// <summary>A "sentence" longer than the budget (a run-on list, a table row) is cut by words.</summary>
    private IEnumerable<string> SplitLongSentence(string sentence)
    {
        if (TextAnalyzer.CountTokens(sentence) <= tokenBudget)
        {
            yield return sentence;
            yield break;
        }
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var piece = new List<string>();
        var tokens = 0;
        foreach (var word in words)
        {
            var n = TextAnalyzer.CountTokens(word);
            if (tokens + n > tokenBudget && piece.Count > 0)
            {
                yield return string.Join(' ', piece);
                piece.Clear();
                tokens = 0;
            }
            piece.Add(word.Length > 4_000 ? word[..4_000] : word);
            tokens += n;
        }
        if (piece.Count > 0) yield return string.Join(' ', piece);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
