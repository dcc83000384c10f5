using System.Net;
using System.Text.Json;

namespace SupportSlm.Host.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_reports_the_database_and_creates_the_sqlite_file_on_first_run()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
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
