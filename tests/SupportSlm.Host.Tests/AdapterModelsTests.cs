using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SupportSlm.Host.Tests.EndToEnd;

namespace SupportSlm.Host.Tests;

/// <summary>
/// The shipped model folder's adapters/ (the reply-style adapter bitext-replies) are models of their own on the
/// OpenAI-compatible /v1, beside the base model, as vLLM lists LoRA adapters: the same request answered with the adapter
/// differs from the base's answer, and an adapter that is not there is a 404 naming the model.
/// </summary>
public sealed class AdapterModelsTests : IAsyncLifetime
{
    private readonly HostFactory host = new(new Dictionary<string, string?>
    {
        ["Inference:ModelPath"] = Path.Combine(Repository.Root, "models", "default"),
    });

    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task The_reply_style_adapter_is_listed_and_answers_differently_from_the_base()
    {
        var models = JsonNode.Parse(await client.GetStringAsync("/v1/models"))!["data"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
        Assert.Equal(["bitext-replies", "bot:default", "default"], models.Order(StringComparer.Ordinal));

        var viaBase = await CompleteAsync("default");
        var viaAdapter = await CompleteAsync("bitext-replies");

        Assert.Equal("bitext-replies", (string?)viaAdapter["model"]);
        var adapterText = (string)viaAdapter["choices"]![0]!["message"]!["content"]!;
        Assert.False(string.IsNullOrWhiteSpace(adapterText));
        Assert.NotEqual((string?)viaBase["choices"]![0]!["message"]!["content"], adapterText);
    }

    [Fact]
    public async Task An_adapter_model_that_is_not_there_is_not_found()
    {
        var response = await client.PostAsJsonAsync("/v1/chat/completions", Request("pirate-speak"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("pirate-speak", await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> CompleteAsync(string model)
    {
        var response = await client.PostAsJsonAsync("/v1/chat/completions", Request(model));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static object Request(string model) => new
    {
        model,
        temperature = 0,
        max_tokens = 24,
        messages = new[] { new { role = "user", content = "i want to cancel my order" } },
    };
}
