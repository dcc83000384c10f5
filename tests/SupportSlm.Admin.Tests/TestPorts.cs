using System.Collections.Concurrent;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Conversations;

namespace SupportSlm.Admin.Tests;

/// <summary>Stands in for the channels capability: records what would have been sent to customers.</summary>
internal sealed class RecordingReplyDelivery(bool fail = false) : IAgentReplyDelivery
{
    public ConcurrentQueue<AgentReply> Sent { get; } = new();

    public bool Supports(Channel channel) => channel is Channel.WebChat or Channel.Teams;

    public Task<string> DeliverAsync(AgentReply reply, CancellationToken cancellationToken)
    {
        if (fail) throw new HttpRequestException("connection refused by the channel");
        Sent.Enqueue(reply);
        return Task.FromResult($"activity-{Sent.Count}");
    }
}

/// <summary>Stands in for the channels capability's administration: a snippet and freshly generated secrets.</summary>
internal sealed class TestChannelAdministration : IChannelAdministration
{
    public int Rotations { get; private set; }

    public string WidgetEmbedSnippet(Bot bot, Uri publicBaseUrl) =>
        $"<script src=\"{new Uri(publicBaseUrl, "/webchat/widget.js")}\" data-bot=\"{bot.Name}\"></script>";

    public Task<string> RotateDirectLineSecretAsync(Bot bot, CancellationToken cancellationToken)
    {
        Rotations++;
        return Task.FromResult($"secret-{Rotations}-{Guid.NewGuid():N}");
    }
}

/// <summary>
/// Stands in for the ONNX capability's adapter check: files starting with "TEST-ADAPTER rank=N" are valid adapters of
/// rank N; anything else is refused with a reason, as the real validator refuses a malformed .onnx_adapter.
/// </summary>
internal sealed class TestAdapterValidator : SupportSlm.Domain.Models.IAdapterFileValidator
{
    public const string Magic = "TEST-ADAPTER rank=";

    public async Task<SupportSlm.Domain.Models.AdapterFileCheck> CheckAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return text.StartsWith(Magic, StringComparison.Ordinal) && int.TryParse(text[Magic.Length..].Split('\n')[0], out var rank)
            ? SupportSlm.Domain.Models.AdapterFileCheck.Valid(rank, 2 * rank)
            : SupportSlm.Domain.Models.AdapterFileCheck.Invalid("the header is not an ONNX adapter header");
    }
}

/// <summary>Stands in for the training capability: a short run whose loss falls, writing a valid test adapter.</summary>
internal sealed class TestFineTuningRunner : SupportSlm.Domain.Models.IFineTuningRunner
{
    public SupportSlm.Domain.Models.FineTuneRequest? LastRequest { get; private set; }

    public async Task<SupportSlm.Domain.Models.FineTuneResult> RunAsync(SupportSlm.Domain.Models.FineTuneRequest request,
        IProgress<SupportSlm.Domain.Models.FineTuneProgress> progress, CancellationToken cancellationToken)
    {
        LastRequest = request;
        for (var step = 1; step <= request.Steps; step++)
        {
            await Task.Delay(20, cancellationToken);
            progress.Report(new(step, request.Steps, 3.0 / step));
        }
        await File.WriteAllTextAsync(request.OutputPath, TestAdapterValidator.Magic + request.Rank, cancellationToken);
        return new(request.OutputPath, new Dictionary<string, double> { ["loss.final"] = 3.0 / request.Steps });
    }
}

/// <summary>
/// Stands in for the evaluation capability: reports its first answer, then waits until the test opens the gate, and
/// ends with fixed metrics or, when <see cref="Failure"/> is set, with the capability's error.
/// </summary>
internal sealed class GatedAdapterEvaluator : SupportSlm.Domain.Models.IAdapterEvaluator
{
    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Failure { get; set; }

    public async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(SupportSlm.Domain.Models.ModelArtifact baseModel,
        SupportSlm.Domain.Models.Adapter? adapter, IProgress<SupportSlm.Domain.Models.EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new(1, 4));
        await Gate.Task.WaitAsync(cancellationToken);
        if (Failure is { } failure) throw new FileNotFoundException(failure);
        progress?.Report(new(4, 4));
        return new Dictionary<string, double> { ["qa.correct"] = 0.5, ["base.qa.correct"] = 0.25 };
    }
}
