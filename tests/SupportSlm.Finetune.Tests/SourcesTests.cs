using SupportSlm.Finetune.Sources;

namespace SupportSlm.Finetune.Tests;

public sealed class SourcesTests
{
    private static readonly CompanyFacts Company = CompanyFacts.Load(FinetunePaths.Company);

    [Fact]
    public void Every_Bitext_placeholder_has_a_value_in_company_json()
    {
        var rows = BitextData.Read(FinetunePaths.Shared(BitextData.Folder, BitextData.V2File));
        Assert.True(rows.Count > 3000);
        foreach (var row in rows)
        {
            var filled = Company.Fill(row.Response);
            Assert.DoesNotContain("{{", filled);
            Assert.DoesNotContain("[Customer Support Phone Number]", filled);
        }
    }

    [Fact]
    public void Placeholders_become_the_company_facts_and_empty_ones_leave_no_gap()
    {
        Assert.Equal("Call us on 0808 157 0123 or visit https://www.northwindoutfitters.example.",
            Company.Fill("Call us on {{Customer Support Phone Number}} or visit {{Website URL}}."));
        Assert.Equal("Hi, thanks for waiting.", Company.Fill("Hi {{Name Field Anonymized}}, thanks for waiting."));
        var error = Assert.Throws<FinetuneException>(() => Company.Fill("See {{Unknown Thing}}"));
        Assert.Contains("knowledge/company.json", error.Message);
    }

    [Fact]
    public void The_Bitext_dev_split_is_a_stable_tenth_kept_out_of_training_rows()
    {
        var all = BitextData.Read(FinetunePaths.Shared(BitextData.Folder, BitextData.V2File)).Select(r => QuestionText.Key(r.Instruction)).Distinct().ToList();
        double share = all.Count(k => BitextData.IsDev(k)) / (double)all.Count;
        Assert.InRange(share, 0.08, 0.12);
        var training = BitextData.TrainingRows(FinetunePaths.SharedData);
        Assert.DoesNotContain(training, r => BitextData.IsDev(r.Instruction));
        Assert.Equal(training.Count, training.Select(r => QuestionText.Key(r.Instruction)).Distinct().Count());
        // The split depends on the normalised text only: case and spacing do not move a question across it.
        Assert.Equal(BitextData.IsDev("How can I cancel my order?"), BitextData.IsDev("  how can i CANCEL my order "));
    }

    [Fact]
    public void Out_of_scope_sources_leave_out_what_a_retailer_answers()
    {
        var clinc = OutOfScopeQuestions.Clinc(FinetunePaths.SharedData);
        Assert.True(clinc.Count > 5_000);
        Assert.DoesNotContain(clinc, q => q.Source is "clinc150/order_status" or "clinc150/greeting" or "clinc150/are_you_a_bot");
        Assert.DoesNotContain(clinc, q => q.Source.StartsWith("clinc150/change_", StringComparison.Ordinal)); // meta domain
        Assert.Contains(clinc, q => q.Source == "clinc150/oos");
        var banking = OutOfScopeQuestions.Banking77(FinetunePaths.SharedData);
        Assert.NotEmpty(banking);
        Assert.DoesNotContain(banking, q => q.Source is "banking77/request_refund" or "banking77/Refund_not_showing_up");
    }

    [Fact]
    public void Question_keys_ignore_case_punctuation_and_spacing()
    {
        Assert.Equal("where is my order nw 10482736", QuestionText.Key("  Where is my ORDER?? (NW-10482736)"));
        Assert.Equal(QuestionText.Fraction("s", "abc"), QuestionText.Fraction("s", "abc"));
        Assert.NotEqual(QuestionText.Fraction("s", "abc"), QuestionText.Fraction("t", "abc"));
    }
}
