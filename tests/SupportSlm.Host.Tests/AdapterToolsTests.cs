using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Admin.Models;
using SupportSlm.Admin.Security;
using SupportSlm.Onnx.Adapters;
using SupportSlm.Persistence;

namespace SupportSlm.Host.Tests;

/// <summary>
/// The composed host checks adapter uploads with the inference capability's validator and evaluates adapters with the
/// evaluation capability: on the shipped model (models/default, registered with its adapter by the first run), through
/// the portal's own upload endpoint as a signed-in admin, and the portal's Evaluate on the ingested help centre.
/// </summary>
public sealed partial class AdapterToolsTests : IAsyncLifetime
{
    private const string Password = "Str0ng!Passw0rd";
    private static readonly string ShippedModel = Path.Combine(RepositoryRoot, "models", "default");

    private readonly HostFactory host = new(new Dictionary<string, string?>
    {
        ["Inference:ModelPath"] = ShippedModel,
        // A smaller spread than the portal's default keeps the test quick; the default run is measured in the report.
        ["Evaluation:Adapters:InScopeQuestions"] = "8",
        ["Evaluation:Adapters:OutOfScopeQuestions"] = "4",
    });

    private HttpClient client = null!;

    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SupportSlm.sln"))) return dir.FullName;
            throw new InvalidOperationException("No repository root (SupportSlm.sln) above the test binaries.");
        }
    }

    public async Task InitializeAsync()
    {
        client = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await WaitForShippedModelAsync();
        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync("admin@example.test", Password, AdminRoles.Admin, "test", CancellationToken.None);
        var login = await PostFormAsync("/admin/login", new() { ["Input.Email"] = "admin@example.test", ["Input.Password"] = Password, ["_handler"] = "login" });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_adapter_upload_is_registered_with_its_rank_and_bad_files_are_refused_with_the_reason()
    {
        var page = await client.GetStringAsync("/admin/models");
        Assert.Contains("data-testid=\"upload\"", page);
        Assert.DoesNotContain(ModelAdministration.NotConfiguredValidator, page);

        var shipped = await File.ReadAllBytesAsync(Path.Combine(ShippedModel, "adapter.onnx_adapter"));
        Assert.Equal("Adapter 'tone-v1' (rank 8) uploaded.", await UploadAsync("tone-v1", "tone.onnx_adapter", shipped, "message"));

        Assert.Equal("'cut.onnx_adapter' is not a valid adapter file: it is truncated or damaged",
            (await UploadAsync("cut", "cut.onnx_adapter", shipped[..(shipped.Length / 2)], "error")).Split(" (")[0]);
        Assert.StartsWith("'notes.onnx_adapter' is not a valid adapter file: it is not an ONNX Runtime LoRA adapter",
            await UploadAsync("notes", "notes.onnx_adapter", "my adapter notes"u8.ToArray(), "error"), StringComparison.Ordinal);
        var otherModel = OnnxAdapterFile.Write(new OnnxAdapter(
        [
            OnnxAdapterParameter.Create("model.layers.0.self_attn.q_proj.lora_A.weight", new float[512 * 4].AsSpan(), 512, 4),
            OnnxAdapterParameter.Create("model.layers.0.self_attn.q_proj.lora_B.weight", new float[4 * 512].AsSpan(), 4, 512),
        ]));
        Assert.EndsWith("the adapter was trained for another model", await UploadAsync("wide", "wide.onnx_adapter", otherModel, "error"), StringComparison.Ordinal);

        await using var db = await Contexts.CreateDbContextAsync();
        var uploaded = await db.Adapters.SingleAsync(a => a.Name == "tone-v1");
        Assert.Equal(8, uploaded.Rank);
        Assert.True(File.Exists(uploaded.FilePath));
        Assert.Equal(["default-shipped", "tone-v1"], await db.Adapters.Select(a => a.Name).OrderBy(n => n).ToListAsync());
        Assert.Single(Directory.GetFiles(Path.Combine(host.DataDirectory, "adapters")));
    }

    [Fact]
    public async Task Evaluate_is_offered_and_records_the_adapter_and_base_model_metrics_in_the_background()
    {
        var page = await client.GetStringAsync("/admin/models");
        Assert.Contains("class=\"evaluate\"", page);

        Guid adapterId;
        await using (var db = await Contexts.CreateDbContextAsync())
            adapterId = (await db.Adapters.SingleAsync(a => a.Name == "default-shipped")).Id;
        var evaluations = host.Services.GetRequiredService<AdapterEvaluations>();
        await evaluations.QueueAsync(adapterId, "admin@example.test", CancellationToken.None);
        var answered = new List<int>();
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (evaluations.StatusOf(adapterId) is { InProgress: true } status)
        {
            if (status.Total > 0) answered.Add(status.Answered);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The evaluation was still at '{status.Text}' after 180 s.");
            await Task.Delay(50);
        }

        Assert.Null(evaluations.StatusOf(adapterId)); // done, not failed
        Assert.True(answered.Distinct().Count() > 1, "the status never showed the evaluation's progress");

        await using var check = await Contexts.CreateDbContextAsync();
        var metrics = (await check.Adapters.SingleAsync(a => a.Name == "default-shipped")).Metrics;
        foreach (var name in new[] { "qa.correct", "qa.cites_gold", "declined.out_of_scope", "ppl.heldout", "latency.p95_ms", "base.qa.correct", "base.ppl.heldout" })
            Assert.True(metrics.ContainsKey(name), $"{name} missing from {string.Join(", ", metrics.Keys)}");
        Assert.Equal(12, metrics["questions"]);
        Assert.All(metrics.Values, v => Assert.True(double.IsFinite(v)));
        var audit = await check.AuditLog.SingleAsync(a => a.Action == "adapter.evaluate");
        Assert.Contains("qa.correct=", audit.Details);
    }

    private IDbContextFactory<SupportSlmDbContext> Contexts => host.Services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();

    /// <summary>The first run registers the served model and its adapter once the help centre is ingested.</summary>
    private async Task WaitForShippedModelAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            await using var db = await Contexts.CreateDbContextAsync();
            if (await db.Adapters.AnyAsync(a => a.Name == "default-shipped")) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The first run did not register the shipped model and adapter within 120 s.");
            await Task.Delay(200);
        }
    }

    /// <summary>Posts the Models page's upload form (multipart, with its antiforgery token) and returns the message the page is sent back with.</summary>
    private async Task<string> UploadAsync(string name, string fileName, byte[] content, string expectedKind)
    {
        var page = await client.GetStringAsync("/admin/models");
        await using var db = await Contexts.CreateDbContextAsync();
        var model = await db.Models.SingleAsync(m => m.Name == "default");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Token(page)), "__RequestVerificationToken" },
            { new StringContent(name), "name" },
            { new StringContent(model.Id.ToString()), "baseModelId" },
            { new StringContent("16"), "alpha" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);

        using var response = await client.PostAsync("/admin/api/adapters", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(client.BaseAddress!, response.Headers.Location!).Query);
        Assert.True(query.ContainsKey(expectedKind), $"expected {expectedKind}, got {response.Headers.Location}");
        return query[expectedKind].ToString();
    }

    private async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        fields["__RequestVerificationToken"] = Token(page);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private static string Token(string page) => WebUtility.HtmlDecode(AntiforgeryToken().Match(page) is { Success: true } m
        ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page."));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
