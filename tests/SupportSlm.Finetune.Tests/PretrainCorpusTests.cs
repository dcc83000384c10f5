using SupportSlm.Finetune.Corpus;
using SupportSlm.Finetune.Grounded;
using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Tests;

public sealed class PretrainCorpusTests
{
    private static PretrainCorpus Build(int seed = 7) => new PretrainCorpusBuilder(new PretrainCorpusOptions
    {
        SharedData = FinetunePaths.SharedData,
        CompanyFile = FinetunePaths.Company,
        TinyStoriesChars = 200_000,
        Seed = seed,
        EvalFraction = 0.05,
    }).Build();

    [Fact]
    public void The_corpus_mixes_every_source_with_conversations_in_ChatML_and_no_placeholders()
    {
        var corpus = Build();
        Assert.Equal(["tinystories", "bitext", "sgd-banks", "abcd"], corpus.DocumentsBySource.Keys);
        Assert.Equal(727, corpus.DocumentsBySource["sgd-banks"]);
        var all = corpus.Train.Concat(corpus.Eval).ToList();
        Assert.Contains(all, d => d.StartsWith("one day, a little girl named lily found a needle", StringComparison.Ordinal));
        Assert.Contains(all, d => d.StartsWith("<|im_start|>user\nWhat's my balance?<|im_end|>\n<|im_start|>assistant\nIn checking or savings?<|im_end|>", StringComparison.Ordinal));
        Assert.All(all, d => Assert.DoesNotContain("{{", d));
        Assert.Contains(all, d => d.Contains("0808 157 0123", StringComparison.Ordinal)); // Bitext placeholders became company facts
        // No Bitext dev question is pre-trained on.
        var dev = BitextData.Read(FinetunePaths.Shared(BitextData.Folder, BitextData.V2File)).Where(r => BitextData.IsDev(r.Instruction)).ToList();
        Assert.NotEmpty(dev);
        var userTurns = all.Where(d => d.StartsWith("<|im_start|>user\n", StringComparison.Ordinal))
            .Select(d => d["<|im_start|>user\n".Length..d.IndexOf("<|im_end|>", StringComparison.Ordinal)]).ToHashSet();
        Assert.DoesNotContain(dev, r => userTurns.Contains(r.Instruction));
    }

    [Fact]
    public void Articles_and_grounded_examples_join_the_corpus_whole_without_front_matter()
    {
        var dir = TestData.TempFolder();
        try
        {
            var grounded = Path.Combine(dir, "grounded.jsonl");
            GroundedQaFile.Write(grounded, [new GroundedExample("g1", GroundedExample.Answer, "test", "Where is my order?", 1, ["a"],
                ChatMl.Prompt("system text", "Where is my order?"), ChatMl.Reply("It ships in 2 days [1]."))]);
            var corpus = new PretrainCorpusBuilder(new PretrainCorpusOptions
            {
                SharedData = FinetunePaths.SharedData,
                CompanyFile = FinetunePaths.Company,
                TinyStoriesChars = 0,
                Bitext = false,
                Dialogues = false,
                ArticlesFolder = FinetunePaths.Articles,
                GroundedQaFile = grounded,
                EvalFraction = 0,
            }).Build();
            Assert.Equal(Directory.GetFiles(FinetunePaths.Articles, "*.md").Length, corpus.DocumentsBySource["articles"]);
            Assert.Equal(1, corpus.DocumentsBySource["grounded-qa"]);
            Assert.Contains(ChatMl.Prompt("system text", "Where is my order?") + "It ships in 2 days [1].<|im_end|>", corpus.Train);
            Assert.All(corpus.Train, d => Assert.False(d.StartsWith("---", StringComparison.Ordinal), d[..Math.Min(80, d.Length)]));
            Assert.DoesNotContain(corpus.Train, d => d.Contains("\nupdated:", StringComparison.Ordinal));
            Assert.Throws<FinetuneException>(() => new PretrainCorpusBuilder(new PretrainCorpusOptions
            {
                SharedData = FinetunePaths.SharedData, CompanyFile = FinetunePaths.Company, ArticlesFolder = Path.Combine(dir, "missing"),
            }).Build());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_held_out_split_is_disjoint_deterministic_and_the_file_round_trips()
    {
        var a = Build();
        var b = Build();
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Eval, b.Eval);
        Assert.InRange(a.Eval.Count / (double)(a.Train.Count + a.Eval.Count), 0.03, 0.07);
        Assert.Empty(a.Eval.Intersect(a.Train));

        var dir = TestData.TempFolder();
        try
        {
            var path = Path.Combine(dir, "corpus.txt");
            CorpusFile.Write(path, a.Eval);
            Assert.Equal(a.Eval, CorpusFile.Read(path).ToList());
            File.WriteAllText(path, "plain text\n");
            var error = Assert.Throws<FinetuneException>(() => CorpusFile.Read(path).ToList());
            Assert.Contains("supportslm finetune-data pretrain-corpus", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
