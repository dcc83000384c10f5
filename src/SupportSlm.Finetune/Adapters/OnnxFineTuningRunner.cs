using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Knowledge;
using SupportSlm.Domain.Models;
using SupportSlm.Onnx.Adapters;
using SupportSlm.Persistence;
using SupportSlm.Retrieval;
using SupportSlm.Tokenizers;
using SupportSlm.Training;
using SupportSlm.Training.Export;
using SupportSlm.Training.Import;

namespace SupportSlm.Finetune.Adapters;

/// <summary>
/// The portal's fine-tuning: imports the base model from its exported ONNX folder (<see cref="OnnxModelImport"/>),
/// renders the curated examples as served prompts (<see cref="ServedPrompts"/>), trains a LoRA adapter on the frozen
/// base (<see cref="LoraTrainingLoop"/>) on exactly the projections the base graph exposes LoRA inputs for, and writes
/// it as an .onnx_adapter whose parameter names are those inputs, so ONNX Runtime applies it to that same model.
/// Expected failures (bad request, a folder that is not our export, too few usable examples) are
/// <see cref="FinetuneException"/>s whose message says what to change.
/// </summary>
public sealed class OnnxFineTuningRunner(
    IKnowledgeRetriever retriever,
    IDbContextFactory<SupportSlmDbContext> contexts,
    IOptions<FineTuningOptions> options,
    ILogger<OnnxFineTuningRunner> logger) : IFineTuningRunner
{
    public async Task<FineTuneResult> RunAsync(FineTuneRequest request, IProgress<FineTuneProgress> progress, CancellationToken cancellationToken)
    {
        var o = options.Value;
        Validate(request, o);
        var bot = await ServingBotAsync(request.KnowledgeBaseName, cancellationToken);
        var imported = await Task.Run(() => Import(request.BaseModel), cancellationToken);
        var config = imported.Model.Config;
        if (imported.LoraTargets.Count == 0)
            throw new FinetuneException($"The base model '{request.BaseModel.Name}' ({imported.Folder}) has no LoRA inputs, so no adapter can be applied to it; re-export it with `supportslm export --adapter` (or LoRA targets).");
        var tokenizer = LoadTokenizer(imported.Folder, config.VocabSize);
        var template = TemplateFor(imported.Folder);

        var served = await RenderAsync(request, bot, template, o, cancellationToken);
        var rows = Tokenize(served, tokenizer, template, config.MaxSeqLen);
        int skipped = request.Examples.Count - rows.Count;
        if (rows.Count < o.MinExamples)
            throw new FinetuneException($"Only {rows.Count} of the {request.Examples.Count} curated examples can be trained on (at least {o.MinExamples} are needed): " +
                $"{request.Examples.Count - served.Count} found no passage in knowledge base '{request.KnowledgeBaseName}' and {served.Count - rows.Count} are longer than the model's {config.MaxSeqLen}-token context. " +
                "Annotate more conversations with corrected answers, or pick the knowledge base the questions are about.");
        var (train, heldOut) = Split(rows, o);

        logger.LogInformation("Fine-tuning job {JobId} for bot {Bot}: {Train} training and {HeldOut} held-out examples ({Skipped} skipped), rank {Rank}, {Steps} steps, targets {Targets}",
            request.JobId, bot.Name, train.Count, heldOut.Count, skipped, request.Rank, request.Steps, string.Join(",", imported.LoraTargets));
        var lora = new LoraConfig(request.Rank, request.Alpha, o.LoraDropout, imported.LoraTargets);
        var outcome = await Task.Run(() => new LoraTrainingLoop(imported.Model, lora, o)
            .Run(train, heldOut, request.Steps, request.LearningRate, progress, cancellationToken), cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        OnnxAdapterFile.Save(OnnxAdapterExport.Create(outcome.Adapter), request.OutputPath);
        return new FineTuneResult(Path.GetFullPath(request.OutputPath), Metrics(outcome, train.Count, heldOut.Count, skipped));
    }

    private async Task<IReadOnlyList<ServedExample>> RenderAsync(FineTuneRequest request, ServingBot bot, ChatTemplate template, FineTuningOptions o,
        CancellationToken cancellationToken)
    {
        try
        {
            return await new ServedPrompts(retriever, o.TopPassages, o.ContextBudgetChars)
                .RenderAsync(request.KnowledgeBaseName, bot, template, request.Examples, cancellationToken);
        }
        catch (RetrievalException e)
        {
            throw new FinetuneException($"The passages for the curated examples cannot be retrieved from knowledge base '{request.KnowledgeBaseName}': {e.Message}", e);
        }
    }

    private static void Validate(FineTuneRequest r, FineTuningOptions o)
    {
        if (r.Steps < 1) throw new FinetuneException($"Fine-tuning needs at least one step (got {r.Steps}).");
        if (r.Rank < 1) throw new FinetuneException($"The LoRA rank must be at least 1 (got {r.Rank}).");
        if (!(r.Alpha > 0) || !double.IsFinite(r.Alpha)) throw new FinetuneException($"The LoRA alpha must be a positive number (got {r.Alpha}).");
        if (!(r.LearningRate is > 0 and < 1)) throw new FinetuneException($"The learning rate must be between 0 and 1 (got {r.LearningRate}).");
        if (string.IsNullOrWhiteSpace(r.OutputPath)) throw new FinetuneException("The fine-tuning job has no output path for its adapter.");
        if (r.Examples.Count < o.MinExamples)
            throw new FinetuneException($"Fine-tuning needs at least {o.MinExamples} curated examples (question and corrected answer); this job has {r.Examples.Count}. Annotate more conversations in the portal.");
        int blank = r.Examples.Count(e => string.IsNullOrWhiteSpace(e.Question) || string.IsNullOrWhiteSpace(e.Answer));
        if (blank > 0) throw new FinetuneException($"{blank} curated example(s) have an empty question or answer; fix or remove them.");
    }

    /// <summary>
    /// The bot answering from the knowledge base (the first created, when several do): its instructions open every served
    /// prompt and its pin chooses the knowledge-base version, so the training prompts must use both.
    /// </summary>
    private async Task<ServingBot> ServingBotAsync(string knowledgeBase, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bots = await (from b in db.Bots
                          join k in db.KnowledgeBases on b.KnowledgeBaseId equals k.Id
                          where k.Name == knowledgeBase
                          select new { b.Name, b.SystemPrompt, b.PinnedKnowledgeBaseVersion, b.CreatedAt }).AsNoTracking().ToListAsync(cancellationToken);
        var bot = bots.OrderBy(b => b.CreatedAt).ThenBy(b => b.Name, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new FinetuneException($"No bot answers from knowledge base '{knowledgeBase}', so there is no served prompt to train on; create a bot for it first.");
        return new ServingBot(bot.Name, bot.SystemPrompt, bot.PinnedKnowledgeBaseVersion);
    }

    private static ImportedOnnxModel Import(ModelArtifact model)
    {
        string folder = OnnxModelImport.FolderOf(model.Path);
        if (!OnnxModelImport.IsOnnxModel(folder))
            throw new FinetuneException($"The base model '{model.Name}' is not an exported model folder: {model.Path} has no {OnnxModelFolder.ModelFile} beside a {OnnxModelFolder.ConfigFile}.");
        try
        {
            return OnnxModelImport.Load(folder);
        }
        catch (TrainingException e)
        {
            throw new FinetuneException($"The base model '{model.Name}' cannot be fine-tuned: {e.Message}", e);
        }
    }

    private static ITokenizer LoadTokenizer(string folder, int vocabulary)
    {
        ITokenizer tokenizer;
        try
        {
            tokenizer = TokenizerLoader.LoadFromFolder(folder);
        }
        catch (TokenizerException e)
        {
            throw new FinetuneException($"The model folder {folder} has no usable tokenizer: {e.Message}", e);
        }
        if (tokenizer.VocabularySize != vocabulary)
            throw new FinetuneException($"The tokenizer in {folder} has {tokenizer.VocabularySize} tokens but the model's vocabulary is {vocabulary}; re-export the folder with its own tokenizer.");
        return tokenizer;
    }

    /// <summary>The folder's chat format, falling back to ChatML (our exports) exactly as the inference host does.</summary>
    private static ChatTemplate TemplateFor(string folder)
    {
        try
        {
            return ChatTemplate.FromFolder(folder);
        }
        catch (TokenizerException)
        {
            return ChatTemplate.ChatMl;
        }
    }

    /// <summary>Prompt and reply encoded separately, as the shipped model's shards are; rows longer than the context are left out.</summary>
    private static List<TrainingRow> Tokenize(IReadOnlyList<ServedExample> examples, ITokenizer tokenizer, ChatTemplate template, int context)
    {
        string stop = template.StopStrings[0];
        int stopId = tokenizer.TokenToId(stop)
            ?? throw new FinetuneException($"The model's tokenizer has no {stop} token, so the model cannot learn where an answer ends; re-train the tokenizer with the chat special tokens.");
        var rows = new List<TrainingRow>(examples.Count);
        foreach (var e in examples)
        {
            var prompt = tokenizer.Encode(e.Prompt, addSpecialTokens: false);
            var reply = tokenizer.Encode(e.Reply, addSpecialTokens: false);
            if (reply.Count == 0 || reply[^1] != stopId)
                throw new FinetuneException($"The tokenizer does not encode {stop} as one special token; re-train it with the chat special tokens.");
            if (prompt.Count + reply.Count > context) continue;
            rows.Add(new TrainingRow([.. prompt, .. reply], prompt.Count));
        }
        return rows;
    }

    private static (IReadOnlyList<TrainingRow> Train, IReadOnlyList<TrainingRow> HeldOut) Split(List<TrainingRow> rows, FineTuningOptions o)
    {
        var shuffled = rows.ToArray();
        new Random(o.Seed).Shuffle(shuffled);
        int heldOut = Math.Clamp((int)Math.Round(rows.Count * o.HeldOutFraction), 1, rows.Count - 2);
        return (shuffled[heldOut..], shuffled[..heldOut]);
    }

    private static Dictionary<string, double> Metrics(LoraTrainingOutcome outcome, int train, int heldOut, int skipped) => new()
    {
        ["loss.initial"] = outcome.StepLosses[0],
        ["loss.final"] = outcome.StepLosses[^1],
        ["loss.train.before"] = outcome.TrainLossBefore,
        ["loss.train.after"] = outcome.TrainLossAfter,
        ["loss.heldout.before"] = outcome.HeldOutLossBefore,
        ["loss.heldout.after"] = outcome.HeldOutLossAfter,
        ["ppl.heldout"] = Math.Exp(outcome.HeldOutLossAfter),
        ["examples.train"] = train,
        ["examples.heldout"] = heldOut,
        ["examples.skipped"] = skipped,
        ["seconds.per_step"] = outcome.SecondsPerStep,
    };
}
