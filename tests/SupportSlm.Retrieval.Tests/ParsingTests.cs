using SupportSlm.Retrieval.Ingestion;

namespace SupportSlm.Retrieval.Tests;

public sealed class ParsingTests
{
    [Fact]
    public void Markdown_front_matter_title_and_heading_sections_with_anchors()
    {
        var doc = DocumentParser.Parse(Docs.Markdown("articles/returns-policy.md", Docs.Returns), 1 << 20);
        Assert.Equal("Our returns policy", doc.Title);
        Assert.Equal([null, "Condition of returned items", "How you are refunded"], doc.Sections.Select(s => s.Heading));
        Assert.Equal("condition-of-returned-items", doc.Sections[1].Anchor);
        Assert.Contains("30 days of delivery", doc.Sections[0].Text);
        Assert.DoesNotContain("**", doc.Sections[0].Text);
        Assert.DoesNotContain("id: returns-policy", string.Join(" ", doc.Sections.Select(s => s.Text)));
    }

    [Fact]
    public void Html_boilerplate_is_stripped_and_headings_split_sections()
    {
        const string html = """
            <html><head><title>Gift cards</title><script>var tracking = 1;</script></head>
            <body><nav><a href="/">Home</a> | <a href="/shop">Shop now</a></nav>
            <main><h1>Gift cards</h1><p>Gift cards are valid for <b>24 months</b>.</p>
            <h2 id="balance">Check your balance</h2><ul><li>Go to My Account</li><li>Select Gift cards</li></ul></main>
            <footer>© Northwind cookie banner</footer></body></html>
            """;
        var doc = DocumentParser.Parse(Docs.Of("gift.html", DocumentFormat.Html, html), 1 << 20);
        Assert.Equal("Gift cards", doc.Title);
        Assert.Equal(2, doc.Sections.Count);
        Assert.Equal("Gift cards are valid for 24 months.", doc.Sections[0].Text);
        Assert.Equal(("Check your balance", "balance"), (doc.Sections[1].Heading, doc.Sections[1].Anchor));
        var all = string.Join(" ", doc.Sections.Select(s => s.Text));
        Assert.DoesNotContain("tracking", all);
        Assert.DoesNotContain("Shop now", all);
        Assert.DoesNotContain("cookie", all);
    }

    [Fact]
    public void Malformed_html_still_yields_its_text()
    {
        var doc = DocumentParser.Parse(Docs.Of("broken.html", DocumentFormat.Html, "<div><p>Unclosed <b>bold <h2>Heading</h3><p>after</div></span>"), 1 << 20);
        Assert.Contains(doc.Sections, s => s.Text.Contains("Unclosed bold"));
        Assert.Contains(doc.Sections, s => s.Heading == "Heading" && s.Text == "after");
    }

    [Fact]
    public void Faq_csv_with_quoted_commas_and_newlines_becomes_one_section_per_pair()
    {
        const string csv = "question,answer\n\"Do you ship abroad, e.g. to France?\",\"Yes, to 15 countries.\nSee the list.\"\nCan I pay by PayPal?,Yes\n";
        var doc = DocumentParser.Parse(Docs.Of("faq.csv", DocumentFormat.FaqCsv, csv), 1 << 20);
        Assert.Equal(2, doc.Sections.Count);
        Assert.Equal("Do you ship abroad, e.g. to France?", doc.Sections[0].Heading);
        Assert.Equal("Yes, to 15 countries.\nSee the list.", doc.Sections[0].Text);
    }

    [Fact]
    public void Faq_json_object_with_title_and_items()
    {
        var doc = DocumentParser.Parse(Docs.Of("faq.json", DocumentFormat.FaqJson,
            """{"title":"Payments FAQ","items":[{"question":"Is Klarna available?","answer":"Yes, in 3 instalments."}]}"""), 1 << 20);
        Assert.Equal("Payments FAQ", doc.Title);
        Assert.Equal("Is Klarna available?", Assert.Single(doc.Sections).Heading);
    }

    [Theory]
    [InlineData(DocumentFormat.FaqCsv, "question,answer\n\"never closed,x\n", "never closed")]
    [InlineData(DocumentFormat.FaqCsv, "q,a\nx,y\n", "'question' and 'answer'")]
    [InlineData(DocumentFormat.FaqCsv, "question,answer\na,b,c\n", "record 2 has 3 fields")]
    [InlineData(DocumentFormat.FaqJson, "[{\"question\": \"x\"", "malformed JSON")]
    [InlineData(DocumentFormat.FaqJson, "[{\"question\": \"x\"}]", "item 1 needs")]
    [InlineData(DocumentFormat.Markdown, "   \n\n", "no readable text")]
    public void Malformed_structured_files_get_a_clear_error(DocumentFormat format, string text, string expected)
    {
        var e = Assert.Throws<RetrievalException>(() => DocumentParser.Parse(Docs.Of("x", format, text), 1 << 20));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Binary_non_utf8_and_oversized_input_are_rejected_before_parsing()
    {
        var binary = new SourceDocument("a.md", DocumentFormat.Markdown, [0x89, 0x50, 0x4E, 0x47, 0x00, 0x1A]);
        Assert.Contains("binary", Assert.Throws<RetrievalException>(() => DocumentParser.Parse(binary, 1 << 20)).Message);
        var latin1 = new SourceDocument("b.md", DocumentFormat.Markdown, [(byte)'c', (byte)'a', (byte)'f', 0xE9]);
        Assert.Contains("not valid UTF-8", Assert.Throws<RetrievalException>(() => DocumentParser.Parse(latin1, 1 << 20)).Message);
        var big = Docs.Markdown("c.md", new string('a', 5_000));
        Assert.Contains("over the limit of 4,096", Assert.Throws<RetrievalException>(() => DocumentParser.Parse(big, 4_096)).Message);
    }

    [Fact]
    public void Long_sections_split_within_the_budget_with_overlap_and_short_ones_stay_whole()
    {
        var sentences = Enumerable.Range(1, 40).Select(i => $"Sentence number {i} tells the reader fact {i}.");
        var doc = new ParsedDocument("T", [new Section("Long", "long", string.Join(" ", sentences)), new Section("Short", "short", "One fact.")]);
        var chunks = new Chunker(tokenBudget: 64, overlapTokens: 16).Split(doc);
        var longChunks = chunks.Where(c => c.Heading == "Long").ToList();
        Assert.True(longChunks.Count >= 5);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 64));
        for (var i = 1; i < longChunks.Count; i++)
        {
            var lastOfPrevious = longChunks[i - 1].Text.Split(". ").Last().TrimEnd('.');
            Assert.StartsWith(lastOfPrevious, longChunks[i].Text); // the overlap repeats the previous window's last sentence
        }
        foreach (var i in Enumerable.Range(1, 40)) Assert.Contains(longChunks, c => c.Text.Contains($"fact {i}."));
        Assert.Equal("One fact.", chunks.Single(c => c.Heading == "Short").Text);
    }
}
