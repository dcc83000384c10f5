using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Orchestration.Hosting;

namespace SupportSlm.Orchestration.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Orchestration:Model", "", "Orchestration:Model is required")]
    [InlineData("Orchestration:TopPassages", "0", "Orchestration:TopPassages must be between 1 and 20")]
    [InlineData("Orchestration:ContextBudgetChars", "10", "Orchestration:ContextBudgetChars must be between")]
    [InlineData("Orchestration:MaxAnswerTokens", "1", "Orchestration:MaxAnswerTokens must be between")]
    [InlineData("Orchestration:Temperature", "3", "Orchestration:Temperature must be between 0 and 2")]
    [InlineData("Orchestration:TurnTimeout", "00:00:00", "Orchestration:TurnTimeout must be between")]
    [InlineData("Orchestration:RecentMessages", "-1", "Orchestration:RecentMessages must be between")]
    public void A_bad_setting_fails_validation_with_a_message_naming_it(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchestration:Model"] = "contoso-slm",
            [key] = value,
        }).Build();
        using var services = new ServiceCollection().AddOrchestration(configuration).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OrchestrationOptions>>().Value);

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_defaults_with_a_model_are_valid_and_decline_unsupported_answers()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Orchestration:Model"] = "m" }).Build();
        using var services = new ServiceCollection().AddOrchestration(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<OrchestrationOptions>>().Value;

        Assert.Equal(UnsupportedAnswerAction.Decline, options.UnsupportedAnswer);
        Assert.Equal(4, options.TopPassages);
    }
}
