using SupportSlm.Retrieval.Ingestion;

namespace SupportSlm.Retrieval.Embeddings;

/// <summary>
/// The contrastive training pairs: same-intent utterances (Banking77 minus its held-out fifth, CLINC150 train, Bitext),
/// Bitext instruction -> agent response, and knowledge-article structure (title or heading -> section text, section ->
/// another section of the same article). Never the evaluation questions.
/// </summary>
public sealed class EmbeddingCorpus
{
    private readonly Dictionary<string, List<string>> _intents = new(StringComparer.Ordinal);
    private readonly List<(string Instruction, string Intent, string Response)> _bitext = [];
    private readonly List<(string Id, ParsedDocument Document)> _articles = [];

    public int KnowledgeRepeats { get; init; } = 4;

    public static EmbeddingCorpus Load(string sharedData, string? knowledgeFolder, long maxDocumentBytes)
    {
        var corpus = new EmbeddingCorpus();
        corpus.AddIntents(IntentData.Banking77(sharedData).Where(e => !IntentData.IsHeldOut(e.Text)));
        corpus.AddIntents(IntentData.Clinc150(sharedData, "train"));
        var bitext = IntentData.Bitext(sharedData);
        corpus.AddIntents(bitext.Select(b => new IntentExample(b.Instruction, b.Intent)));
        corpus._bitext.AddRange(bitext);
        if (knowledgeFolder is not null)
        {
            foreach (var file in Directory.EnumerateFiles(knowledgeFolder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var doc = new SourceDocument(file, DocumentFormat.Markdown, File.ReadAllBytes(file));
                corpus._articles.Add((Path.GetFileNameWithoutExtension(file), DocumentParser.Parse(doc, maxDocumentBytes)));
            }
        }
        return corpus;
    }

    public int IntentCount => _intents.Count;
    public int ArticleCount => _articles.Count;

    public void AddIntents(IEnumerable<IntentExample> examples)
    {
        foreach (var e in examples)
        {
            if (!_intents.TryGetValue(e.Intent, out var list)) _intents[e.Intent] = list = [];
            list.Add(e.Text);
        }
    }

    public IReadOnlyList<TrainingPair> PairsForEpoch(Random random)
    {
        var pairs = new List<TrainingPair>();
        foreach (var (intent, texts) in _intents)
        {
            if (texts.Count < 2) continue;
            for (var i = 0; i < texts.Count; i++)
            {
                var j = random.Next(texts.Count - 1);
                if (j >= i) j++;
                pairs.Add(new TrainingPair(texts[i], texts[j], intent));
            }
        }
        foreach (var (instruction, intent, response) in _bitext)
            if (random.Next(4) == 0) pairs.Add(new TrainingPair(instruction, response, intent));

        for (var r = 0; r < KnowledgeRepeats; r++)
        {
            foreach (var (id, doc) in _articles)
            {
                var group = "knowledge:" + id;
                for (var s = 0; s < doc.Sections.Count; s++)
                {
                    var section = doc.Sections[s];
                    var query = random.Next(3) switch
                    {
                        0 => doc.Title,
                        1 => section.Heading ?? doc.Title,
                        _ => doc.Sections[random.Next(doc.Sections.Count)].Text,
                    };
                    pairs.Add(new TrainingPair(query, $"{doc.Title}. {section.Heading}. {section.Text}", group));
                }
            }
        }
        return pairs;
    }
}
