using System.Globalization;

namespace SupportSlm.Sentiment.Data;

/// <summary>
/// Reads the shared third-party sentiment data sets from ../shared/data (never copied into the repository; see each
/// folder's PROVENANCE.md for source and license). SST-2 has an official dev file; the others get <see cref="DevSplit"/>.
/// </summary>
public static class SentimentCorpora
{
    public const string TwitterAirline = "twitter-airline";
    public const string Sst2 = "sst2";
    public const string Uci = "uci-sentences";
    public const string VaderTweets = "vader-tweets";
    public const string VaderSnippets = "vader-snippets";

    /// <summary>|mean rating| below this (on VADER's −4..4 human scale) counts as neutral.</summary>
    public const double VaderNeutralBand = 0.5;

    public static IReadOnlyList<LabelledSet> LoadAll(string sharedData) =>
    [
        LoadTwitterAirline(sharedData),
        LoadSst2(sharedData),
        LoadUci(sharedData),
        LoadVader(sharedData, VaderTweets, "tweets_GroundTruth.train.tsv"),
        LoadVader(sharedData, VaderSnippets, "amazonReviewSnippets_GroundTruth.train.tsv", "movieReviewSnippets_GroundTruth.train.tsv",
            "nytEditorialSnippets_GroundTruth.train.tsv"),
    ];

    public static LabelledSet LoadTwitterAirline(string sharedData)
    {
        var path = Require(sharedData, "twitter-airline-sentiment", "Tweets.train.csv");
        using var reader = new StreamReader(path);
        var rows = CsvReader.Read(reader).ToList();
        var header = rows[0];
        int textColumn = Array.IndexOf(header, "text"), labelColumn = Array.IndexOf(header, "airline_sentiment");
        if (textColumn < 0 || labelColumn < 0)
        {
            throw new SentimentException($"{path} has no 'text' and 'airline_sentiment' columns; restore the file described in its PROVENANCE.md.");
        }

        var texts = rows.Skip(1).Where(r => r.Length > Math.Max(textColumn, labelColumn))
            .Select(r => new LabelledText(r[textColumn], r[labelColumn] switch
            {
                "negative" => SentimentClasses.Negative,
                "positive" => SentimentClasses.Positive,
                _ => SentimentClasses.Neutral,
            }));
        var (train, dev) = DevSplit.Split(texts);
        return new LabelledSet(TwitterAirline, LabelScheme.ThreeClass, train, dev, "seeded 20% of Tweets.train.csv");
    }

    public static LabelledSet LoadSst2(string sharedData)
    {
        var train = ReadTsv(Require(sharedData, "sst2", "train.tsv"), labelColumn: 0, textColumn: 1);
        var dev = ReadTsv(Require(sharedData, "sst2", "dev.tsv"), labelColumn: 0, textColumn: 1);
        return new LabelledSet(Sst2, LabelScheme.Binary, train, dev, "official dev.tsv (872 sentences)");
    }

    public static LabelledSet LoadUci(string sharedData)
    {
        var rows = new[] { "amazon_cells_labelled.train.tsv", "imdb_labelled.train.tsv", "yelp_labelled.train.tsv" }
            .SelectMany(file => ReadTsv(Require(sharedData, "uci-sentiment-sentences", file), labelColumn: 1, textColumn: 0));
        var (train, dev) = DevSplit.Split(rows);
        return new LabelledSet(Uci, LabelScheme.Binary, train, dev, "seeded 20% of amazon+imdb+yelp");
    }

    public static LabelledSet LoadVader(string sharedData, string name, params string[] files)
    {
        var rows = new List<LabelledText>();
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(Require(sharedData, "vader-icwsm2014-groundtruth", file)).Skip(1))
            {
                var parts = line.Split('\t', 3);
                if (parts.Length == 3 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var mean))
                {
                    var label = mean <= -VaderNeutralBand ? SentimentClasses.Negative
                        : mean >= VaderNeutralBand ? SentimentClasses.Positive
                        : SentimentClasses.Neutral;
                    rows.Add(new LabelledText(parts[2], label));
                }
            }
        }

        var (train, dev) = DevSplit.Split(rows);
        return new LabelledSet(name, LabelScheme.ThreeClass, train, dev, $"seeded 20% of {string.Join("+", files.Select(f => f.Split('_')[0]))}");
    }

    private static List<LabelledText> ReadTsv(string path, int labelColumn, int textColumn)
    {
        var rows = new List<LabelledText>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length > Math.Max(labelColumn, textColumn))
            {
                var label = parts[labelColumn].Trim() == "1" ? SentimentClasses.Positive : SentimentClasses.Negative;
                rows.Add(new LabelledText(parts[textColumn], label));
            }
        }

        return rows;
    }

    private static string Require(string sharedData, string folder, string file)
    {
        var path = Path.Combine(sharedData, folder, file);
        return File.Exists(path)
            ? path
            : throw new SentimentException($"Data file '{path}' is missing; the shared data sets live in ../shared/data next to the repository (pass --data to point elsewhere).");
    }
}
