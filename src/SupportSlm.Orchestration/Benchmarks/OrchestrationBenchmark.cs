using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Orchestration.Hosting;
using SupportSlm.Orchestration.Prompting;

namespace SupportSlm.Orchestration.Benchmarks;

/// <summary>
/// The pipeline's own cost per turn, generation excluded: the full turn through <see cref="ITurnProcessor"/> against the
/// same instant chat client called directly with an equivalent prompt (the peer), interleaved turn by turn.
/// The model is always the instant one; every other port comes from <c>addBackends</c> when it registers one (the CLI
/// passes the product database's IConversationStore, so persistence is measured) and otherwise from instant fixtures.
/// Arguments: --turns N (default 2000) --per-conversation N (turns per conversation, default 10) --warmup N (default 200)
/// --bot NAME (with a registered store: an existing bot enabled on the CLI channel; default "support").
/// </summary>
public static class OrchestrationBenchmark
{
    private const string Question = "How long do refunds take after I return an item?";

    private const string Answer =
        "Refunds go to your original payment method within 5 business days of your parcel arriving [2]. " +
        "You can return most items within 30 days of delivery [1].";

    private static readonly KnowledgeHit[] Passages =
    [
        Passage("Returns policy", "You can return most items within 30 days of delivery. Items must be unused, unwashed and returned with the original tags attached. Start a return from Your orders, print the label and drop the parcel at any post office."),
        Passage("Refunds", "Refunds go to your original payment method within 5 business days of your parcel arriving at our warehouse. You get an email when the refund is issued. Gift cards are refunded as store credit."),
        Passage("Delivery times", "Standard delivery takes 3 to 5 business days. Order before 2pm for next-day express delivery, which costs £6.95. We deliver Monday to Saturday."),
        Passage("Exchanges", "To exchange an item for another size, return it and place a new order: exchanges are processed as a return and a new purchase so you get the new item sooner."),
    ];

    public static Task<int> RunAsync(string[] args, TextWriter output) => RunAsync(args, output, _ => { });

    public static async Task<int> RunAsync(string[] args, TextWriter output, Action<IServiceCollection> addBackends)
    {
        var turns = IntArg(args, "--turns", 2_000);
        var perConversation = IntArg(args, "--per-conversation", 10);
        var warmup = IntArg(args, "--warmup", 200);
        var botName = Arg(args, "--bot", "support");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchestration:Model"] = "benchmark-instant-model",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        addBackends(services);
        var inMemory = !services.Any(d => d.ServiceType == typeof(IConversationStore));
        if (inMemory)
        {
            var bot = new Bot(botName, "Benchmark", "You are the support assistant of a clothing shop.", Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(-1));
            services.AddSingleton<IConversationStore>(new InMemoryConversationStore(bot, "benchmark"));
        }
        services.TryAddSingleton<IKnowledgeRetriever>(new FixedPassages(Passages));
        services.TryAddSingleton<ISentimentTagger, NeutralTagger>();
        services.TryAddSingleton<IEscalationPolicy, NeverEscalate>();
        var model = new InstantChatClient(Answer);
        services.AddSingleton<IChatClient>(model); // generation is excluded by design, whatever the backends register
        services.AddOrchestration(configuration);
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ITurnProcessor>();

        var prompt = PromptBuilder.Build("You are the support assistant of a clothing shop.", Passages, [], Question, 6_000).Messages;
        var options = new ChatOptions { ModelId = "benchmark-instant-model", Temperature = 0.2f, MaxOutputTokens = 256 };
        var run = Guid.NewGuid().ToString("N")[..8];
        var pipelineTimes = new List<double>(turns);
        var directTimes = new List<double>(turns);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < warmup + turns; i++)
            {
                var request = new TurnRequest(botName, Channel.Cli, $"bench-{run}-{i / perConversation}", "benchmark", null, Question, null, null);
                var clock = Stopwatch.StartNew();
                TurnReply? reply = null;
                await foreach (var update in pipeline.ProcessAsync(request, CancellationToken.None))
                    if (update is TurnReply r) reply = r;
                var pipelineUs = clock.Elapsed.TotalMicroseconds;

                clock.Restart();
                await foreach (var _ in model.GetStreamingResponseAsync(prompt, options, CancellationToken.None)) { }
                var directUs = clock.Elapsed.TotalMicroseconds;

                if (i < warmup) continue;
                pipelineTimes.Add(pipelineUs);
                directTimes.Add(directUs);
                var outcome = reply is null ? "no reply" : reply.HandedOff ? "handed off" : reply.Declined ? "declined" : "answered";
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }
        catch (OrchestrationException e)
        {
            await output.WriteLineAsync($"The benchmark could not run a turn: {e.Message} (pass --bot with a bot enabled on the Cli channel).");
            return 2;
        }

        await output.WriteLineAsync($"Orchestration overhead per turn, generation excluded (instant model), {turns} turns after {warmup} warm-up, " +
            $"{perConversation} turns per conversation, store: {(inMemory ? "in memory" : "registered backend")}, {Environment.ProcessorCount} cores");
        await output.WriteLineAsync("| path | p50 µs | p95 µs | mean µs |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        await output.WriteLineAsync(Row("IChatClient called directly (peer)", directTimes));
        await output.WriteLineAsync(Row("full turn through ITurnProcessor", pipelineTimes));
        await output.WriteLineAsync($"Overhead at p50: {Percentile(pipelineTimes, 0.5) - Percentile(directTimes, 0.5):F0} µs per turn. " +
            $"Outcomes: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}.");
        return outcomes.GetValueOrDefault("no reply") == 0 ? 0 : 1;
    }

    private static string Row(string name, List<double> times) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {Percentile(times, 0.5):F1} | {Percentile(times, 0.95):F1} | {times.Average():F1} |");

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static KnowledgeHit Passage(string title, string text) =>
        new(Guid.NewGuid(), Guid.NewGuid(), title, "https://help.example.com/" + title.ToLowerInvariant().Replace(' ', '-'), null, text, 1);

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var value = Arg(args, name, fallback.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new OrchestrationException($"{name} must be a positive whole number (was '{value}').");
    }
}
