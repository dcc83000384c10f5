namespace SupportSlm.Sentiment;

/// <summary>Default locations inside the repository (models/sentiment, ../shared/data), found by walking up to SupportSlm.sln.</summary>
public static class SentimentPaths
{
    public static string? Root { get; } = Find(AppContext.BaseDirectory) ?? Find(Directory.GetCurrentDirectory());

    public static string DefaultModel => Path.Combine(RequireRoot(), "models", "sentiment", "sentiment.onnx");

    public static string SharedData => Path.GetFullPath(Path.Combine(RequireRoot(), "..", "shared", "data"));

    public static string DefaultLexicon => Path.Combine(SharedData, "vader-lexicon", "vader_lexicon.txt");

    public static string PeerScript => Path.Combine(RequireRoot(), "tests", "SupportSlm.Sentiment.Tests", "node", "peers.mjs");

    private static string RequireRoot() => Root ?? throw new SentimentException(
        "The SupportSlm repository (SupportSlm.sln) was not found above the program or the working directory; set Sentiment:ModelPath and Sentiment:LexiconPath explicitly.");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
