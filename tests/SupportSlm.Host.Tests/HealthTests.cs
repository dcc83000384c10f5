using System.Net;
using System.Text.Json;

namespace SupportSlm.Host.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_reports_the_database_and_the_missing_model_and_creates_the_sqlite_file_on_first_run()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // degraded still serves: the portal and channels work without a model
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Degraded", checks.GetProperty("model").GetProperty("status").GetString());
        var problem = checks.GetProperty("model").GetProperty("description").GetString();
        Assert.Contains($"No language model at {factory.MissingModelPath} (Inference:ModelPath)", problem);
        Assert.Contains("supportslm export --checkpoint", problem);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "supportslm.db")));
    }

    [Fact]
    public async Task Alive_answers_without_checking_dependencies()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"checks\":{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_get_problem_details_not_an_empty_page()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
