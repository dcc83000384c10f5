using System.CommandLine;
using SupportSlm.Finetune.Corpus;
using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Replies;
using SupportSlm.Finetune.Sources;
using SupportSlm.Finetune.Shards;
using SupportSlm.Tokenizers;

namespace SupportSlm.Finetune.Commands;

/// <summary>`supportslm finetune-data …`: builds each dataset of the shipped-model recipe (see finetune/README.md).</summary>
public static class FinetuneCommand
{
    public static Command Create() => new("finetune-data", "Build the datasets of the shipped-model recipes (finetune/README.md)")
    {
        GroundedQa(), BitextReplies(), PretrainCorpusCommand(), Shards(),
    };

    private static Command PretrainCorpusCommand()
    {
        var output = new Option<string>("--output") { Description = "Corpus to write; the held-out part goes to X-eval.txt", DefaultValueFactory = _ => "finetune/data/pretrain.txt" };
        var company = new Option<string?>("--company") { Description = "Company facts with the placeholder map (default knowledge/company.json)" };
        var shared = new Option<string?>("--shared-data") { Description = "Third-party data folder (default ../shared/data)" };
        var stories = new Option<int>("--tinystories-chars") { Description = "Characters of TinyStories to take", DefaultValueFactory = _ => 4_200_000 };
        var noBitext = new Option<bool>("--no-bitext") { Description = "Leave out the Bitext support pairs" };
        var noDialogues = new Option<bool>("--no-dialogues") { Description = "Leave out the SGD and ABCD dialogues" };
        var seed = new Option<int>("--seed") { Description = "Seed of the held-out split", DefaultValueFactory = _ => 7 };
        var articles = new Option<string?>("--articles") { Description = "Also take these help-center articles (e.g. knowledge/articles)" };
        var grounded = new Option<string?>("--grounded-qa") { Description = "Also take these grounded-QA examples whole (e.g. finetune/data/grounded-qa.jsonl)" };
        var command = new Command("pretrain-corpus", "TinyStories slice + Bitext support pairs + SGD/ABCD dialogues as pre-training text")
        {
            output, company, shared, stories, noBitext, noDialogues, seed, articles, grounded,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var corpus = new PretrainCorpusBuilder(new PretrainCorpusOptions
            {
                CompanyFile = parse.GetValue(company) ?? FinetunePaths.Company,
                SharedData = parse.GetValue(shared) ?? FinetunePaths.SharedData,
                TinyStoriesChars = parse.GetValue(stories),
                Bitext = !parse.GetValue(noBitext),
                Dialogues = !parse.GetValue(noDialogues),
                Seed = parse.GetValue(seed),
                ArticlesFolder = parse.GetValue(articles),
                GroundedQaFile = parse.GetValue(grounded),
            }).Build();
            var path = parse.GetValue(output)!;
            CorpusFile.Write(path, corpus.Train);
            CorpusFile.Write(CommandRunner.EvalPath(path), corpus.Eval);
            var writer = parse.InvocationConfiguration.Output;
            await writer.WriteLineAsync($"{path}: {corpus.Train.Count} documents, {corpus.Train.Sum(d => (long)d.Length):N0} chars; " +
                $"{CommandRunner.EvalPath(path)}: {corpus.Eval.Count} held out");
            foreach (var (source, n) in corpus.DocumentsBySource) await writer.WriteLineAsync($"  {source,-12} {n,7} documents");
        }));
        return command;
    }

    private static Command BitextReplies()
    {
        var output = new Option<string>("--output") { Description = "Chat JSONL to write; the held-out part goes to X-eval.jsonl", DefaultValueFactory = _ => "finetune/data/bitext-replies.jsonl" };
        var company = new Option<string?>("--company") { Description = "Company facts with the placeholder map (default knowledge/company.json)" };
        var shared = new Option<string?>("--shared-data") { Description = "Third-party data folder (default ../shared/data)" };
        var heldOut = new Option<double>("--held-out") { Description = "Share of instructions held out for the evaluation loss", DefaultValueFactory = _ => 0.05 };
        var command = new Command("bitext-replies", "Bitext customer message → reference response (training split), for the reply-style adapter")
        {
            output, company, shared, heldOut,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var set = BitextReplySet.Build(parse.GetValue(shared) ?? FinetunePaths.SharedData, CompanyFacts.Load(parse.GetValue(company) ?? FinetunePaths.Company),
                parse.GetValue(heldOut));
            var path = parse.GetValue(output)!;
            GroundedQaFile.Write(path, set.Train);
            GroundedQaFile.Write(CommandRunner.EvalPath(path), set.Eval);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{path}: {set.Train.Count} examples; {CommandRunner.EvalPath(path)}: {set.Eval.Count} held out; " +
                $"{set.Train.Concat(set.Eval).Select(e => e.Source).Distinct().Count()} intents");
        }));
        return command;
    }

    private static Command Shards()
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "The model's tokenizer.json", Required = true };
        var input = new Option<string>("--input") { Description = "Chat JSONL (grounded-qa) or corpus text (pretrain-corpus)", Required = true };
        var output = new Option<string>("--output") { Description = "Token shard (.tok) to write", Required = true };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Model context: a chat example longer than this is an error", DefaultValueFactory = _ => 512 };
        var command = new Command("shards", "Tokenize a dataset into the trainer's token shard (chat: loss on replies only)") { tokenizer, input, output, maxTokens };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var tok = TokenizerLoader.Load(parse.GetValue(tokenizer)!);
            var path = parse.GetValue(input)!;
            var (shard, report) = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                ? ShardWriter.FromChat(GroundedQaFile.Read(path), tok, parse.GetValue(maxTokens))
                : ShardWriter.FromCorpus(CorpusFile.Read(path), tok);
            var target = parse.GetValue(output)!;
            if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } dir) Directory.CreateDirectory(dir);
            shard.Save(target);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{target}: {report.Examples} examples, {report.Tokens:N0} tokens " +
                $"({report.LossTokens:N0} with loss), longest {report.LongestExample} tokens");
        }));
        return command;
    }

    private static Command GroundedQa()
    {
        var output = new Option<string>("--output") { Description = "Chat JSONL to write; the held-out part goes to X-eval.jsonl", DefaultValueFactory = _ => "finetune/data/grounded-qa.jsonl" };
        var articles = new Option<string?>("--articles") { Description = "Folder of Markdown articles (default knowledge/articles)" };
        var company = new Option<string?>("--company") { Description = "Company facts with the placeholder map (default knowledge/company.json)" };
        var evalQuestions = new Option<string?>("--eval-questions") { Description = "Test questions that must never be trained on (default knowledge/eval/questions.jsonl)" };
        var shared = new Option<string?>("--shared-data") { Description = "Third-party data folder (default ../shared/data)" };
        var seed = new Option<int>("--seed") { Description = "Seed of every choice", DefaultValueFactory = _ => 7 };
        var passages = new Option<int>("--passages") { Description = "Passages per prompt (Orchestration:TopPassages)", DefaultValueFactory = _ => 4 };
        var snippetChars = new Option<int>("--snippet-chars") { Description = "Longest passage in characters (Retrieval:SnippetChars)", DefaultValueFactory = _ => 300 };
        var maxChars = new Option<int>("--max-example-chars") { Description = "Characters of prompt plus reply", DefaultValueFactory = _ => 2_400 };
        var bitext = new Option<int>("--bitext-questions") { Description = "Bitext questions to try", DefaultValueFactory = _ => 2_000 };
        var perSection = new Option<int>("--sentence-questions") { Description = "Fact-sentence questions per article section", DefaultValueFactory = _ => 3 };
        var declineShare = new Option<double>("--decline-share") { Description = "Share of decline examples", DefaultValueFactory = _ => 0.25 };
        var notCoveredShare = new Option<double>("--not-covered-share") { Description = "Of the declines, the share whose answering article was taken out of the passages", DefaultValueFactory = _ => 0.3 };
        var command = new Command("grounded-qa", "Question + retrieved passages → cited answer or decline, from knowledge/ and Bitext")
        {
            output, articles, company, evalQuestions, shared, seed, passages, snippetChars, maxChars, bitext, perSection, declineShare, notCoveredShare,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = new GroundedQaOptions
            {
                ArticlesFolder = parse.GetValue(articles) ?? FinetunePaths.Articles,
                CompanyFile = parse.GetValue(company) ?? FinetunePaths.Company,
                EvalQuestionsFile = parse.GetValue(evalQuestions) ?? FinetunePaths.EvalQuestions,
                SharedData = parse.GetValue(shared) ?? FinetunePaths.SharedData,
                Seed = parse.GetValue(seed),
                Passages = parse.GetValue(passages),
                SnippetChars = parse.GetValue(snippetChars),
                MaxExampleChars = parse.GetValue(maxChars),
                MaxBitextQuestions = parse.GetValue(bitext),
                SentenceQuestionsPerSection = parse.GetValue(perSection),
                DeclineShare = parse.GetValue(declineShare),
                NotCoveredShare = parse.GetValue(notCoveredShare),
            };
            var set = await new GroundedQaBuilder(options).BuildAsync(ct);
            var path = parse.GetValue(output)!;
            GroundedQaFile.Write(path, set.Train);
            GroundedQaFile.Write(CommandRunner.EvalPath(path), set.Eval);
            var writer = parse.InvocationConfiguration.Output;
            await writer.WriteLineAsync($"{path}: {set.Train.Count} examples; {CommandRunner.EvalPath(path)}: {set.Eval.Count} held out");
            foreach (var group in set.All.GroupBy(e => e.Source.Split('/')[0]).OrderBy(g => g.Key, StringComparer.Ordinal))
                await writer.WriteLineAsync($"  {group.Key,-18} {group.Count(),6}");
            var all = set.All.ToList();
            await writer.WriteLineAsync($"  declines {all.Count(e => e.Kind == GroundedExample.Decline) / (double)all.Count:P1}, " +
                $"longest example {all.Max(e => e.Length)} chars, mean {all.Average(e => e.Length):F0}");
        }));
        return command;
    }
}
