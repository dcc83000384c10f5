using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers.Tests;

/// <summary>One line's result from the Rust reference; offsets count code points, Error is set where it refused.</summary>
internal sealed record RustResult(int[] Ids, int[] TypeIds, (int Start, int End)[] Offsets, int[] SpecialTokensMask, string? Error);

/// <summary>Runs tests/SupportSlm.Tokenizers.Tests/node/rust.mjs (npm "tokenizers", the Rust implementation).</summary>
internal static class RustPeer
{
    public static IReadOnlyList<RustResult> Encode(string tokenizerJson, IReadOnlyList<string> lines, IReadOnlyList<string>? pairs = null,
        bool addSpecialTokens = true, TruncationOptions? truncation = null)
    {
        string requestPath = Path.Combine(Path.GetTempPath(), $"supportslm-rust-{Guid.NewGuid():N}.json");
        var request = new
        {
            lines,
            pairs,
            addSpecialTokens,
            truncation = truncation is null ? null : new { maxLength = truncation.MaxLength, strategy = truncation.Strategy.ToString(), direction = truncation.Direction.ToString() },
        };
        File.WriteAllText(requestPath, JsonSerializer.Serialize(request), new UTF8Encoding(false));
        try
        {
            string stdout = Node.Run("rust.mjs", tokenizerJson, requestPath);
            using var json = JsonDocument.Parse(stdout);
            return json.RootElement.EnumerateArray().Select(e => e.TryGetProperty("error", out var error)
                ? new RustResult([], [], [], [], error.GetString())
                : new RustResult(Ints(e, "ids"), Ints(e, "typeIds"),
                    e.GetProperty("offsets").EnumerateArray().Select(o => (o[0].GetInt32(), o[1].GetInt32())).ToArray(), Ints(e, "specialTokensMask"), null)).ToList();
        }
        finally
        {
            File.Delete(requestPath);
        }
    }

    private static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(i => i.GetInt32()).ToArray();

    /// <summary>Our UTF-16 offsets in the binding's code-point convention.</summary>
    public static (int Start, int End)[] ToCodePoints(string text, (int Start, int End)[] offsets)
    {
        var index = new int[text.Length + 1];
        for (int i = 0, cp = 0; i <= text.Length; i++)
        {
            index[i] = cp;
            if (i < text.Length && !(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))) cp++;
        }
        return offsets.Select(o => (index[o.Start], index[o.End])).ToArray();
    }
}

/// <summary>Starts node scripts of tests/SupportSlm.Tokenizers.Tests/node and returns their output.</summary>
internal static class Node
{
    public static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node", [script, .. arguments])
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
        Assert.True(process.ExitCode == 0, $"node {script} failed (run `npm ci` in {TestPaths.NodeFolder}): {stderr.Result}");
        return stdout;
    }
}
