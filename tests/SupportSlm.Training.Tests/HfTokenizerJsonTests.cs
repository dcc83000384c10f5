using System.Diagnostics;
using System.Text.Json;
using SupportSlm.Training.Export;
using SupportSlm.Training.Import;

namespace SupportSlm.Training.Tests;

/// <summary>The exported tokenizer.json, read by Hugging Face tokenizers.js (node peer), encodes like llama2.c's tokenizer.</summary>
public class HfTokenizerJsonTests
{
    [Fact]
    public void Tokenizers_js_encodes_and_decodes_like_the_llama2c_tokenizer()
    {
        string folder = Path.Combine(TestPaths.TempDir(), "onnx");
        OnnxModelFolder.Write(Llama2cCheckpoint.Load(TestPaths.Stories260K), folder, new OnnxExportOptions(), tokenizerPath: TestPaths.Tok512);
        var texts = new List<string>
        {
            "Once upon a time, there was a little girl named Lily.", "Hello  world\nnew line", "café ✓ 😀 naïve", "   leading spaces",
            "x", "Tom's dog said: \"Let's go!\" 123 + 456 = 579.",
        };
        texts.AddRange(File.ReadLines(TestPaths.TinyStories).Where(l => l.Length > 0).Take(300));

        var results = RunPeer(folder, texts);
        Assert.Equal(texts.Count, results.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            Assert.Equal(Tok512.Encode(texts[i]), results[i].Ids);
            Assert.Equal(texts[i], results[i].Text);
        }
    }

    internal sealed record PeerResult(int[] Ids, string Text);

    internal static List<PeerResult> RunPeer(string folder, List<string> texts)
    {
        string nodeDir = Path.Combine(TestPaths.RepoRoot, "tests", "SupportSlm.Training.Tests", "node");
        var start = new ProcessStartInfo("node", ["tokenize.mjs", folder])
        {
            WorkingDirectory = nodeDir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false), StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(JsonSerializer.Serialize(texts));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(180_000), "node peer timed out");   // generous: CI hosts run other builds beside it
        Assert.True(process.ExitCode == 0, $"node tokenize.mjs failed (run `npm ci` in {nodeDir}): {stderr.Result}");
        return JsonSerializer.Deserialize<List<PeerResult>>(stdout.Result, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }
}
