using System.Diagnostics;
using Microsoft.Extensions.AI;
using SupportSlm.Evaluation.Baselines;
using SupportSlm.Evaluation.Classification;
using SupportSlm.Evaluation.Scoring;
using SupportSlm.Inference.Chat;

namespace SupportSlm.Evaluation.Tasks;

/// <summary>One Bitext pair with its placeholders already filled: what the customer wrote, the intent, the reference response.</summary>
public sealed record BitextExample(string Instruction, string Intent, string Response);

/// <summary>How one system's responses scored on the dev examples.</summary>
public sealed record ResponseScores(int Count, double RougeLF1, double IntentCorrect);

/// <summary>One dev example's model response, the intent the judge read in it, and its ROUGE-L F1 to the reference.</summary>
public sealed record BitextResponse(BitextExample Example, string Response, string JudgedIntent, double RougeLF1)
{
    public bool IntentCorrect => JudgedIntent == Example.Intent;
}

/// <summary>
/// The model and the retrieval baseline on the same dev examples, and how good the intent judge itself is;
/// <see cref="Adapter"/> is the LoRA adapter the model answered with (null: the base weights).
/// </summary>
public sealed record BitextResult(int TrainingExamples, int DevExamples, double JudgeAccuracy, ResponseScores Model, ResponseScores Baseline,
    double MeanSecondsPerResponse, string? Adapter, IReadOnlyList<BitextResponse> Responses);

/// <summary>How the model is asked for a Bitext response.</summary>
public sealed record BitextGeneration(string ModelId, string? Adapter, int MaxTokens);

/// <summary>
/// Bitext response quality on the dev split: the model answers each dev instruction (greedy, one user turn — the layout
/// Bitext pairs have in the pre-training corpus), and so does a retrieval baseline that returns the reference response of
/// the nearest training instruction (BM25). Both are scored by ROUGE-L F1 against the dev reference and by whether the
/// intent judge, trained on training reference responses, reads the response as the dev example's intent.
/// </summary>
public sealed class BitextTask(IChatClient chat)
{
    public async Task<BitextResult> RunAsync(IReadOnlyList<BitextExample> training, IReadOnlyList<BitextExample> dev, int? limit,
        BitextGeneration generation, TextWriter progress, CancellationToken cancellationToken)
    {
        if (training.Count == 0 || dev.Count == 0) throw new EvaluationException("The Bitext task needs training and dev examples; check ../shared/data/bitext-customer-support.");
        var judge = IntentClassifier.Train(training.Select(t => (t.Response, t.Intent)).ToArray());
        var judgeAccuracy = judge.Accuracy(dev.Select(d => (d.Response, d.Intent)).ToArray());
        var baseline = new Bm25Index(training.Select(t => t.Instruction).ToArray());

        var scored = Subset.Spread(dev, limit);
        var modelResponses = new List<string>(scored.Count);
        var clock = Stopwatch.StartNew();
        foreach (var example in scored)
        {
            modelResponses.Add(await GenerateAsync(example.Instruction, generation, cancellationToken));
            if (modelResponses.Count % 25 == 0) await progress.WriteLineAsync($"bitext: {modelResponses.Count}/{scored.Count} responses");
        }

        var seconds = clock.Elapsed.TotalSeconds / scored.Count;
        var baselineResponses = scored.Select(e => training[baseline.Nearest(e.Instruction)].Response).ToArray();
        var responses = Judge(scored, modelResponses, judge);
        return new BitextResult(training.Count, scored.Count, judgeAccuracy, Score(responses), Score(Judge(scored, baselineResponses, judge)), seconds,
            generation.Adapter, responses);
    }

    private async Task<string> GenerateAsync(string instruction, BitextGeneration generation, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { ModelId = generation.ModelId, Temperature = 0, MaxOutputTokens = generation.MaxTokens };
        if (generation.Adapter is { } adapter) options.AdditionalProperties = new AdditionalPropertiesDictionary { [SlmChatClient.AdapterKey] = adapter };
        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, instruction)], options, cancellationToken);
        return response.Text.Trim();
    }

    private static BitextResponse[] Judge(IReadOnlyList<BitextExample> examples, IReadOnlyList<string> responses, IntentClassifier judge) =>
        examples.Select((e, i) => new BitextResponse(e, responses[i], judge.Predict(responses[i]), RougeL.Score(responses[i], e.Response).F1)).ToArray();

    private static ResponseScores Score(IReadOnlyList<BitextResponse> judged) =>
        new(judged.Count, judged.Average(r => r.RougeLF1), judged.Count(r => r.IntentCorrect) / (double)judged.Count);
}
