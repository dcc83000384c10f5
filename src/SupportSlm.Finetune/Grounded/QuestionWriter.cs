namespace SupportSlm.Finetune.Grounded;

/// <summary>
/// Customer-style questions from an article's title, headings and fact sentences: short templates, mostly lower case,
/// sometimes without a question mark or with a typo, the way people type into a chat box.
/// </summary>
internal static class QuestionWriter
{
    private static readonly string[] QuestionStarts = ["how", "what", "when", "where", "why", "can", "do", "does", "is", "are", "will", "who", "which", "should"];

    private static readonly string[] TopicTemplates =
    [
        "{0}?", "tell me about {0}", "question about {0}", "what about {0}?", "info on {0} please", "hi, {0}?",
        "i need help with {0}", "can you explain {0}?", "{0} - how does that work?",
    ];

    private static readonly string[] FocusTemplates =
    [
        "{0}: {1}?", "{1}?", "what's the deal with {1}", "can you tell me about {1}", "question about {1} ({0})",
        "{1} - {0}?", "hello, i have a question about {1}", "{1}??", "help with {1} please",
    ];

    private static readonly string[] QuestionPrefixes = ["", "", "", "hi, ", "hello! ", "quick question: ", "please help, "];

    /// <summary>A question asking what a heading (or title) is about.</summary>
    public static string FromHeading(string heading, Random random)
    {
        var h = heading.Trim().TrimEnd('.', ':');
        var lower = h.ToLowerInvariant();
        var text = QuestionStarts.Any(s => lower.StartsWith(s + " ", StringComparison.Ordinal))
            ? random.Pick(QuestionPrefixes) + lower.TrimEnd('?') + "?"
            : string.Format(random.Pick(TopicTemplates), lower);
        return Noise(text, random);
    }

    /// <summary>A question about one fact sentence, from its heading and the sentence's own key words.</summary>
    public static string FromSentence(string heading, string sentence, Random random)
    {
        var headingWords = Sentences.ContentWords(heading).ToHashSet(StringComparer.Ordinal);
        var focus = Sentences.ContentWords(sentence).Where(w => !headingWords.Contains(w) && !w.Any(char.IsDigit) && !w.Contains('£')).Take(3).ToList();
        if (focus.Count == 0) return FromHeading(heading, random);
        var text = string.Format(random.Pick(FocusTemplates), heading.Trim().TrimEnd('.', ':', '?').ToLowerInvariant(), string.Join(' ', focus));
        return Noise(text, random);
    }

    /// <summary>Occasional customer noise: no question mark, or two neighbouring letters swapped in one longer word.</summary>
    private static string Noise(string text, Random random)
    {
        if (random.NextDouble() < 0.25) text = text.TrimEnd('?');
        if (random.NextDouble() < 0.15)
        {
            var words = text.Split(' ');
            var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Length >= 5 && words[i].All(char.IsLetter)).ToList();
            if (candidates.Count > 0)
            {
                int i = random.Pick(candidates), j = 1 + random.Next(words[i].Length - 2);
                var chars = words[i].ToCharArray();
                (chars[j], chars[j + 1]) = (chars[j + 1], chars[j]);
                words[i] = new string(chars);
                text = string.Join(' ', words);
            }
        }
        return text;
    }
}
