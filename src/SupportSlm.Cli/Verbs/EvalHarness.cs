using System.CommandLine;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Evaluation.Report;
using SupportSlm.Evaluation.Tasks;
using SupportSlm.Finetune;
using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Sources;
using SupportSlm.Inference;
using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Models;
using SupportSlm.Orchestration.Hosting;
using SupportSlm.Persistence;
using SupportSlm.Persistence.Seeding;
using SupportSlm.Retrieval;
using SupportSlm.Tokenizers;

namespace SupportSlm.Cli.Verbs;

/// <summary>What one eval run measures and where its inputs are.</summary>
internal sealed record EvalSelection(string[] Tasks, int? Limit, FileInfo? Output, string? Answers, string? Questions, string? HeldOut, string? SharedData, int BitextMaxTokens,
    string? BitextAdapter);

/// <summary>
/// Runs the selected tasks against one model folder and bot. Unless the command line names a database, the pipeline
/// runs on a scratch SQLite database (deleted afterwards) holding the "default" knowledge base ingested from
/// knowledge/articles and the bot with the shipped default bot's prompt, so every run starts from the same state and
/// the product's transcripts stay free of evaluation traffic.
/// </summary>
internal sealed class EvalHarness(PipelineSettings settings, ParseResult parse, EvalSelection selection)
{
    private const string SeedKey = $"{OrchestrationOptions.Section}:{nameof(OrchestrationOptions.Seed)}";
    private const long DefaultSeed = 1;

    public const string Perplexity = "perplexity", Bitext = "bitext", GroundedQa = "grounded-qa";

    public static readonly string[] AllTasks = [Perplexity, Bitext, GroundedQa];

    /// <summary>The reply-style adapter the shipped model folder carries (finetune/configs/shipped-bitext-lora.json), and the name that asks for none.</summary>
    public const string BitextAdapter = "bitext-replies", NoAdapter = "none";

    private TextWriter Log => parse.InvocationConfiguration.Error;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var bot = parse.GetValue(settings.Bot)!;
        var scratch = settings.NamesDatabase(parse) ? null : Path.Combine(Path.GetTempPath(), $"supportslm-eval-{Guid.NewGuid():N}");
        var configuration = settings.Configuration(parse, scratch is null ? null :
        [
            new($"{PersistenceOptions.Section}:{nameof(PersistenceOptions.Provider)}", "Sqlite"),
            new($"{PersistenceOptions.Section}:{nameof(PersistenceOptions.DataDirectory)}", scratch),
            new($"{PersistenceOptions.Section}:{nameof(PersistenceOptions.ConnectionString)}", null),
        ]);
        // Answers are sampled at the served temperature; a fixed seed (unless one is configured) makes runs repeatable.
        configuration[SeedKey] ??= DefaultSeed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var modelPath = configuration[PipelineSettings.ModelPathKey]!;
        try
        {
            var perplexity = Selected(Perplexity) ? MeasurePerplexity(configuration, ct) : null;
            BitextResult? bitext = null;
            GroundedQaResult? grounded = null;
            if (Selected(Bitext) || Selected(GroundedQa))
            {
                await using var services = await PipelineSettings.StartAsync(configuration, Log, ct);
                if (scratch is not null) await EnsureScratchBotAsync(services, configuration, bot, ct);
                var served = await PipelineSettings.RequireBotAsync(services, bot, ct);
                if (Selected(Bitext)) bitext = await MeasureBitextAsync(services, ct);
                if (Selected(GroundedQa)) grounded = await MeasureGroundedQaAsync(services, served, ct);
                if (selection.Answers is { } answers) AnswerLog.Write(answers, grounded, bitext);
            }

            var report = EvalReport.Markdown(new EvalRun(modelPath, bot, "supportslm " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
                DateTimeOffset.UtcNow, clock.Elapsed, perplexity, bitext, grounded));
            await parse.InvocationConfiguration.Output.WriteAsync(report);
            if (selection.Output is { } file)
            {
                file.Directory?.Create();
                await File.WriteAllTextAsync(file.FullName, report, ct);
            }

            return 0;
        }
        finally
        {
            if (scratch is not null) DeleteScratch(scratch);
        }
    }

    private bool Selected(string task) => selection.Tasks.Contains(task, StringComparer.Ordinal);

    /// <summary>Perplexity needs every position's logits, so it drives its own copy of the model rather than the serving worker.</summary>
    private PerplexityResult MeasurePerplexity(IConfiguration configuration, CancellationToken ct)
    {
        var options = configuration.GetSection(InferenceOptions.Section).Get<InferenceOptions>() ?? new InferenceOptions();
        var heldOut = selection.HeldOut ?? Path.Combine(FinetunePaths.Root, "finetune", "data", "grounded-qa-eval.jsonl");
        var examples = Subset.Spread(GroundedQaFile.Read(heldOut), selection.Limit);
        using var host = ModelHost.Load(options.ModelPath, new ModelHostOptions { IntraOpThreads = options.IntraOpThreads });
        var tokenizer = TokenizerLoader.LoadFromFolder(host.Folder);
        Log.WriteLine($"perplexity: {examples.Count} held-out replies from {heldOut}");
        return PerplexityTask.Run(host, tokenizer, examples.Select(e => new ScoredText(e.Prompt, e.Reply)), cancellationToken: ct);
    }

    private async Task<BitextResult> MeasureBitextAsync(IServiceProvider services, CancellationToken ct)
    {
        var shared = selection.SharedData ?? FinetunePaths.SharedData;
        var company = CompanyFacts.Load(FinetunePaths.Company);
        // The v2 file is the one the pre-training corpus takes its Bitext pairs from, with the same placeholder filling.
        var rows = BitextData.Read(Path.Combine(shared, BitextData.Folder, BitextData.V2File))
            .Select(r => (Dev: BitextData.IsDev(r.Instruction), Example: new BitextExample(company.Fill(r.Instruction), r.Intent, company.Fill(r.Response))))
            .ToArray();
        var training = rows.Where(r => !r.Dev).Select(r => r.Example).ToArray();
        var dev = rows.Where(r => r.Dev).Select(r => r.Example).ToArray();
        Log.WriteLine($"bitext: {dev.Length} dev examples, {training.Length} training examples");
        var model = services.GetRequiredService<IOptions<OrchestrationOptions>>().Value.Model;
        var adapter = BitextAdapterFor(services.GetRequiredService<AdapterRegistry>());
        Log.WriteLine($"bitext: responses {(adapter is null ? "from the base weights" : $"with adapter '{adapter}'")}");
        return await new BitextTask(services.GetRequiredService<IChatClient>())
            .RunAsync(training, dev, selection.Limit, new BitextGeneration(model, adapter, selection.BitextMaxTokens), Log, ct);
    }

    /// <summary>The named adapter (an unknown name fails on the first response, naming the loaded ones); by default the shipped reply-style adapter when loaded.</summary>
    private string? BitextAdapterFor(AdapterRegistry registry) => selection.BitextAdapter switch
    {
        NoAdapter => null,
        { } name => name,
        null => registry.Names.Contains(BitextAdapter) ? BitextAdapter : null,
    };

    private async Task<GroundedQaResult> MeasureGroundedQaAsync(IServiceProvider services, Bot bot, CancellationToken ct)
    {
        var questions = GroundedQaTask.Sample(EvalQuestion.Read(selection.Questions ?? FinetunePaths.EvalQuestions), selection.Limit);
        Log.WriteLine($"grounded-qa: {questions.Count} questions to bot '{bot.Name}'");
        var passages = await PassagesOfAsync(services, bot, ct);
        return await new GroundedQaTask(services.GetRequiredService<ITurnProcessor>(), bot.Name, passages).RunAsync(questions, Log, ct);
    }

    /// <summary>
    /// The passages the turn pipeline puts in a first turn's prompt for the bot: its retrieval (knowledge base at its pinned
    /// version, Orchestration:TopPassages), then the prompt's budget rule (<see cref="GroundedPrompt.Fitting"/>, Orchestration:ContextBudgetChars).
    /// </summary>
    private static async Task<PassageLookup> PassagesOfAsync(IServiceProvider services, Bot bot, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>().CreateDbContextAsync(ct);
        var knowledgeBase = await db.KnowledgeBases.AsNoTracking().Where(k => k.Id == bot.KnowledgeBaseId).Select(k => k.Name).SingleAsync(ct);
        var retriever = services.GetRequiredService<IKnowledgeRetriever>();
        var o = services.GetRequiredService<IOptions<OrchestrationOptions>>().Value;
        return async (question, token) =>
        {
            var hits = await retriever.SearchAsync(knowledgeBase, question, o.TopPassages, bot.PinnedKnowledgeBaseVersion, token);
            return GroundedPrompt.Fitting(hits, GroundedPrompt.Header(bot.SystemPrompt).Length + question.Length, o.ContextBudgetChars, out _);
        };
    }

    /// <summary>
    /// The scratch database gets the bot the host's first run creates: the shipped default bot's prompt and, when the
    /// model folder carries the shipped adapter, that adapter active — so the scores are the product's.
    /// </summary>
    private static async Task EnsureScratchBotAsync(IServiceProvider services, IConfiguration configuration, string bot, CancellationToken ct)
    {
        var company = CompanyFacts.Load(FinetunePaths.Company);
        var model = new ServedModelFolder(services.GetRequiredService<IOptions<OrchestrationOptions>>().Value.Model, configuration[PipelineSettings.ModelPathKey]!);
        var spec = new ShippedBotSpec(bot, company.Name, ChatMl.BotPrompt(company.Name), DefaultKnowledgeBase.Name, model);
        if (await ShippedBot.EnsureAsync(services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>(), spec, DateTimeOffset.UtcNow, ct) == ShippedBotOutcome.NoKnowledgeBase)
            throw new RetrievalException($"The scratch database has no knowledge base '{DefaultKnowledgeBase.Name}'; run from the repository (knowledge/articles) or set Retrieval:DefaultKnowledgePath.");
    }

    private void DeleteScratch(string folder)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            Log.WriteLine($"The scratch database {folder} could not be deleted ({e.Message}); remove it by hand.");
        }
    }
}
