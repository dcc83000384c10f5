using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using SupportSlm.Admin.Security;
using SupportSlm.Domain.Models;

namespace SupportSlm.Admin.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ModelsFlowTests(Browser browser)
{
    private static async Task<string> AdapterFileAsync(string name, string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "supportslm-admin-tests", Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private static async Task<IPage> SignedInAdminAsync(Browser browser, AdminHost host, Uri baseAddress)
    {
        await host.CreateUserAsync("admin@example.test", AdminRoles.Admin);
        var page = await browser.NewPageAsync(baseAddress);
        await Browser.SignInAsync(page, "admin@example.test");
        return page;
    }

    [Fact]
    public async Task An_admin_registers_a_model_uploads_adapters_activates_one_per_bot_and_rolls_back()
    {
        await using var host = new AdminHost(services: s => s.AddSingleton<IAdapterFileValidator, TestAdapterValidator>());
        var baseAddress = host.StartKestrel();
        var (_, bot) = await Seed.BotAsync(host);
        var modelFile = await AdapterFileAsync("model.onnx", "not really weights, but hashed like them");
        var page = await SignedInAdminAsync(browser, host, baseAddress);

        await page.GotoAsync("/admin/models");
        await Browser.WaitForCircuitAsync(page);
        await page.FillAsync("#model-name", "slm-base");
        await page.FillAsync("#model-path", modelFile);
        await page.FillAsync("#model-params", "15000000");
        await page.ClickAsync("#register-model");
        await Assertions.Expect(page.Locator("[data-testid=models]")).ToContainTextAsync("slm-base");

        foreach (var name in new[] { "tone-v1", "tone-v2" })
        {
            await page.FillAsync("#adapter-name", name);
            await page.SetInputFilesAsync("#adapter-file", await AdapterFileAsync($"{name}.onnx_adapter", TestAdapterValidator.Magic + "8\n" + name));
            await page.ClickAsync("#upload");
            await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync($"Adapter '{name}' (rank 8) uploaded.");
            await Browser.WaitForCircuitAsync(page);
        }

        var row = page.Locator($"[data-bot={bot.Name}]");
        await row.Locator("select.choose").SelectOptionAsync(new SelectOptionValue { Label = "tone-v1" });
        await row.Locator("button.activate").ClickAsync();
        await Assertions.Expect(page.Locator("[data-adapter=tone-v1] .status")).ToHaveTextAsync("Active");
        await row.Locator("select.choose").SelectOptionAsync(new SelectOptionValue { Label = "tone-v2" });
        await row.Locator("button.activate").ClickAsync();
        await Assertions.Expect(page.Locator("[data-adapter=tone-v2] .bots")).ToHaveTextAsync(bot.Name);
        await Assertions.Expect(page.Locator("[data-adapter=tone-v1] .status")).ToHaveTextAsync("Ready");
        await Browser.ScreenshotAsync(page, "models");

        await row.Locator("button.rollback").ClickAsync();
        await Assertions.Expect(page.Locator("[data-adapter=tone-v1] .bots")).ToHaveTextAsync(bot.Name);

        await using var db = await host.Contexts.CreateDbContextAsync();
        var v1 = await db.Adapters.SingleAsync(a => a.Name == "tone-v1");
        Assert.Equal(v1.Id, (await db.Bots.SingleAsync()).ActiveAdapterId);
        Assert.True(File.Exists(v1.FilePath));
        Assert.Equal(AdapterStatus.Ready, (await db.Adapters.SingleAsync(a => a.Name == "tone-v2")).Status);
    }

    [Fact]
    public async Task Wrong_type_invalid_and_oversized_uploads_are_refused_with_a_message_and_leave_nothing_behind()
    {
        await using var host = new AdminHost(new Dictionary<string, string?> { ["Admin:MaxAdapterUploadBytes"] = "2048" },
            s => s.AddSingleton<IAdapterFileValidator, TestAdapterValidator>());
        var baseAddress = host.StartKestrel();
        var modelFile = await AdapterFileAsync("model.onnx", "weights");
        await host.WithDbAsync(db =>
        {
            db.Models.Add(new ModelArtifact("slm-base", modelFile, new string('a', 64), 1_000, DateTimeOffset.UtcNow));
            return Task.FromResult(0);
        });
        var page = await SignedInAdminAsync(browser, host, baseAddress);

        async Task UploadAsync(string name, string fileName, string content, string expected)
        {
            await page.GotoAsync("/admin/models");
            await Browser.WaitForCircuitAsync(page);
            await page.FillAsync("#adapter-name", name);
            await page.SetInputFilesAsync("#adapter-file", await AdapterFileAsync(fileName, content));
            await page.ClickAsync("#upload");
            await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync(expected);
        }

        await UploadAsync("wrong-type", "weights.bin", TestAdapterValidator.Magic + "8", "upload a .onnx_adapter file");
        await UploadAsync("broken", "broken.onnx_adapter", "garbage", "not a valid adapter file: the header is not an ONNX adapter header");
        await UploadAsync("huge", "huge.onnx_adapter", TestAdapterValidator.Magic + "8\n" + new string('x', 200_000), "upload limit");
        await UploadAsync("Bad Name", "ok.onnx_adapter", TestAdapterValidator.Magic + "8", "may contain only lower-case letters");
        await Browser.ScreenshotAsync(page, "upload-refused");

        await using var db = await host.Contexts.CreateDbContextAsync();
        Assert.Empty(await db.Adapters.ToListAsync());
        var folder = Path.Combine(host.DataDirectory, "adapters");
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0);
    }

    [Fact]
    public async Task Without_the_onnx_and_training_capabilities_upload_and_fine_tuning_say_not_configured()
    {
        await using var host = new AdminHost(services: s =>
        {
            s.RemoveAll<IAdapterFileValidator>();
            s.RemoveAll<IAdapterEvaluator>();
            s.RemoveAll<IFineTuningRunner>();
        });
        using var client = await host.SignedInClientAsync(AdminRoles.Admin);
        var page = await client.GetStringAsync("/admin/models");
        Assert.Contains("checked by the ONNX capability, which is not configured", page);
        Assert.Contains("Fine-tuning is provided by the training capability, which is not configured", page);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Models.ModelAdministration.NotConfiguredEvaluator), page);
        Assert.DoesNotContain("data-testid=\"upload\"", page);
    }

    [Fact]
    public async Task A_fine_tuning_job_runs_with_live_progress_and_registers_its_adapter()
    {
        var runner = new TestFineTuningRunner();
        await using var host = new AdminHost(services: s => s.AddSingleton<IFineTuningRunner>(runner));
        var baseAddress = host.StartKestrel();
        var (_, bot) = await Seed.BotAsync(host);
        var conversation = await Seed.ConversationAsync(host, bot);
        await host.WithDbAsync(async db =>
        {
            var answer = await db.Messages.SingleAsync(m => m.ConversationId == conversation.Id && m.Role == Domain.Conversations.MessageRole.Bot);
            answer.Annotate(Domain.Conversations.Feedback.Good, null);
            db.Models.Add(new ModelArtifact("slm-base", "/models/slm.onnx", new string('b', 64), 1_000, DateTimeOffset.UtcNow));
            return 0;
        });
        var page = await SignedInAdminAsync(browser, host, baseAddress);

        await page.GotoAsync("/admin/models");
        await Browser.WaitForCircuitAsync(page);
        await page.FillAsync("#ft-name", "curated-v1");
        await page.FillAsync("#ft-steps", "40");
        await page.ClickAsync("#start-training");
        await Assertions.Expect(page.Locator("[data-testid=loss-chart] svg path").First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator(".job-status").First).ToHaveTextAsync("Succeeded", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-adapter=curated-v1]")).ToContainTextAsync("loss.final 0.075");
        await Browser.ScreenshotAsync(page, "fine-tuning");

        var request = runner.LastRequest!;
        Assert.Equal(bot.KnowledgeBaseId, (await host.Contexts.CreateDbContextAsync()).KnowledgeBases.Single(k => k.Name == request.KnowledgeBaseName).Id);
        var example = Assert.Single(request.Examples);
        Assert.Equal("My parcel is two weeks late and nobody answers!", example.Question);
    }
    [Fact]
    public async Task Evaluate_runs_in_the_background_with_progress_once_per_adapter_and_shows_metrics_or_the_failure()
    {
        var evaluator = new GatedAdapterEvaluator();
        await using var host = new AdminHost(services: s => s.AddSingleton<IAdapterEvaluator>(evaluator));
        var baseAddress = host.StartKestrel();
        var adapter = await host.WithDbAsync(db =>
        {
            var model = new ModelArtifact("slm-base", "/models/slm.onnx", new string('b', 64), 1_000, DateTimeOffset.UtcNow);
            var adapter = new Adapter("tone-v1", model.Id, 8, 16, "/models/tone-v1.onnx_adapter", new string('c', 64), DateTimeOffset.UtcNow);
            db.Models.Add(model);
            db.Adapters.Add(adapter);
            return Task.FromResult(adapter);
        });
        var page = await SignedInAdminAsync(browser, host, baseAddress);
        await page.GotoAsync("/admin/models");
        await Browser.WaitForCircuitAsync(page);
        var row = page.Locator("[data-adapter=tone-v1]");

        await row.Locator("button.evaluate").ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Evaluation started");
        await Assertions.Expect(row.Locator(".evaluation")).ToHaveTextAsync("Evaluating… 1/4 answers");
        await Assertions.Expect(row.Locator("button.evaluate")).ToHaveCountAsync(0);
        var evaluations = host.Services.GetRequiredService<Models.AdapterEvaluations>();
        var twice = await Assert.ThrowsAsync<AdminException>(() => evaluations.QueueAsync(adapter.Id, "admin@example.test", CancellationToken.None));
        Assert.Contains("already being evaluated", twice.Message);
        await Browser.ScreenshotAsync(page, "evaluation-running");

        evaluator.Gate.SetResult();
        await Assertions.Expect(row).ToContainTextAsync("qa.correct 0.5");
        await Assertions.Expect(row.Locator(".evaluation")).ToHaveCountAsync(0);
        Assert.Single(await host.WithDbAsync(db => db.AuditLog.Where(a => a.Action == "adapter.evaluate").ToListAsync()));

        evaluator.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        evaluator.Failure = "/models/slm.onnx is missing";
        await row.Locator("button.evaluate").ClickAsync();
        await Assertions.Expect(row.Locator(".evaluation")).ToHaveTextAsync("Evaluating… 1/4 answers");
        evaluator.Gate.SetResult();
        await Assertions.Expect(row.Locator(".evaluation.error"))
            .ToHaveTextAsync("Evaluation failed: Adapter 'tone-v1' could not be evaluated: /models/slm.onnx is missing");
        await Assertions.Expect(row.Locator("button.evaluate")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("qa.correct 0.5");
    }
}
