using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Conversations;
using SupportSlm.Sentiment.Taggers;

namespace SupportSlm.Sentiment.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task Defaults_serve_the_shipped_model_and_the_escalation_policy()
    {
        using var provider = Build([]);
        Assert.IsType<ModelSentimentTagger>(provider.GetRequiredService<ISentimentTagger>());
        Assert.NotNull(provider.GetRequiredService<IEscalationPolicy>());
        var tag = await provider.GetRequiredService<ISentimentTagger>().TagAsync("Thank you so much, great crew!", CancellationToken.None);
        Assert.Equal(SentimentLabel.Positive, tag.Label);
    }

    [Fact]
    public void Lexicon_tagger_is_the_fallback_when_the_model_file_is_absent()
    {
        using var provider = Build(new() { ["Sentiment:ModelPath"] = "/nonexistent/model.onnx" });
        Assert.IsType<LexiconSentimentTagger>(provider.GetRequiredService<ISentimentTagger>());
    }

    [Theory]
    [InlineData("Sentiment:Tagger", "Neural", "Sentiment:Tagger 'Neural'")]
    [InlineData("Sentiment:IntraOpThreads", "0", "Sentiment:IntraOpThreads")]
    [InlineData("Sentiment:LexiconPath", "/nonexistent/lexicon.txt", "Sentiment:LexiconPath")]
    public void Bad_settings_fail_at_start_naming_the_setting(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key == "Sentiment:LexiconPath")
        {
            settings["Sentiment:Tagger"] = "Lexicon";
        }

        using var provider = Build(settings);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SentimentOptions>>().Value);
        Assert.Contains(expected, string.Join(" ", error.Failures));
    }

    [Fact]
    public void Forcing_the_model_without_its_file_names_the_train_command()
    {
        using var provider = Build(new() { ["Sentiment:Tagger"] = "Model", ["Sentiment:ModelPath"] = "/nonexistent/model.onnx" });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SentimentOptions>>().Value);
        Assert.Contains("supportslm sentiment train", string.Join(" ", error.Failures));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSentiment(configuration).BuildServiceProvider();
    }
}
