using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace SupportSlm.Sentiment.Evaluation;

/// <summary>Runs the npm peers (vader-sentiment, sentiment/AFINN) through tests/SupportSlm.Sentiment.Tests/node/peers.mjs.</summary>
public static class NodePeers
{
    public sealed record PeerScores(double Vader, double Afinn);

    public sealed record PeerLatency(double P50, double P95, double P99, double PerSecond);

    public static async Task<IReadOnlyList<PeerScores>> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var lines = await RunAsync("score", texts, cancellationToken);
        var scores = lines.Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return new PeerScores(json.RootElement.GetProperty("vader").GetDouble(), json.RootElement.GetProperty("afinn").GetDouble());
        }).ToArray();
        return scores.Length == texts.Count
            ? scores
            : throw new SentimentException($"The node peers returned {scores.Length} scores for {texts.Count} texts.");
    }

    public static async Task<IReadOnlyDictionary<string, PeerLatency>> BenchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var lines = await RunAsync("bench", texts, cancellationToken);
        using var json = JsonDocument.Parse(lines.Single());
        return json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => new PeerLatency(
            p.Value.GetProperty("p50").GetDouble(), p.Value.GetProperty("p95").GetDouble(), p.Value.GetProperty("p99").GetDouble(),
            p.Value.GetProperty("perSecond").GetDouble()));
    }

    private static async Task<List<string>> RunAsync(string mode, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var script = SentimentPaths.PeerScript;
        if (!Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "vader-sentiment")))
        {
            throw new SentimentException($"The npm peers are not installed; run `npm ci` in {Path.GetDirectoryName(script)}.");
        }

        var start = new ProcessStartInfo("node", [script, mode])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(script),
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SentimentException("node could not be started; install Node.js 20 or later.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SentimentException($"node could not be started ({e.Message}); install Node.js 20 or later.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            foreach (var text in texts)
            {
                await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(text).AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new SentimentException($"node peers.mjs {mode} failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
            }

            return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
    }
}
