using Microsoft.Extensions.Options;
using SupportSlm.Domain.Models;
using SupportSlm.Evaluation.Adapters;
using SupportSlm.Inference.Adapters;

namespace SupportSlm.Host;

/// <summary>
/// The portal's adapter tools: uploads are checked by the inference capability's <see cref="AdapterFileValidator"/>
/// (our reader, ONNX Runtime's loader and the base model's LoRA inputs), and "Evaluate" runs the evaluation capability's
/// bounded grounded-QA run on the evaluation questions. The evaluation answers as the default bot would (its prompt and
/// knowledge base, the pipeline's passage count and budget) unless Evaluation:Adapters says otherwise; without the
/// questions file (an install that left out knowledge/eval) Evaluate is not offered and the portal says why.
/// </summary>
internal static class ModelTools
{
    public const string DefaultQuestions = "knowledge/eval/questions.jsonl";

    public static WebApplicationBuilder AddModelTools(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IAdapterFileValidator, AdapterFileValidator>();

        var configuration = builder.Configuration;
        var section = configuration.GetSection(AdapterEvaluationOptions.Section);
        var questions = RepositoryRelative.Resolve(section[nameof(AdapterEvaluationOptions.QuestionsPath)] is { Length: > 0 } configured ? configured : DefaultQuestions,
            builder.Environment.ContentRootPath);
        if (!File.Exists(questions)) return builder;

        services.AddOptions<AdapterEvaluationOptions>()
            .Configure(o =>
            {
                // The default bot's and the pipeline's settings first, so the scores are those of the bot customers talk to.
                o.BotPrompt = configuration[$"{DefaultBotOptions.Section}:{nameof(DefaultBotOptions.SystemPrompt)}"] ?? "";
                o.KnowledgeBase = configuration[$"{DefaultBotOptions.Section}:{nameof(DefaultBotOptions.KnowledgeBase)}"] ?? o.KnowledgeBase;
                if (int.TryParse(configuration["Orchestration:TopPassages"], out var top)) o.TopPassages = top;
                if (int.TryParse(configuration["Orchestration:ContextBudgetChars"], out var budget)) o.ContextBudgetChars = budget;
            })
            .Bind(section)
            .PostConfigure(o => o.QuestionsPath = questions)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdapterEvaluationOptions>, AdapterEvaluationOptionsValidator>();
        services.AddSingleton<IAdapterEvaluator, AdapterEvaluator>();
        return builder;
    }
}
