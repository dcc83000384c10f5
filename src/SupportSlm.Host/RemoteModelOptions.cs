using Microsoft.Extensions.Options;

namespace SupportSlm.Host;

/// <summary>Configuration section "LanguageModel": where the bots' answers are generated when not by the local model.</summary>
internal sealed class LanguageModelOptions
{
    public const string Section = "LanguageModel";

    public RemoteModelOptions Remote { get; set; } = new();
}

/// <summary>
/// "LanguageModel:Remote": an OpenAI-compatible chat completions server (vLLM, another SupportSlm's /v1, ...) that
/// generates every bot answer instead of the local ONNX model. Unset Endpoint: the local model answers.
/// </summary>
internal sealed class RemoteModelOptions
{
    public const string EndpointKey = $"{LanguageModelOptions.Section}:{nameof(LanguageModelOptions.Remote)}:{nameof(Endpoint)}";

    /// <summary>Base URL of the OpenAI API, including its version path (e.g. http://vllm:8000/v1).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model name bots without an active adapter are answered by (vLLM: the served base model name).</summary>
    public string? Model { get; set; }

    /// <summary>Sent as "Authorization: Bearer"; unset sends a placeholder, which servers started without keys ignore.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Longest wait for the server per request (connect, then each read of the answer).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Remote model name per adapter id, for bots with an active LoRA adapter (vLLM multi-LoRA serves each adapter as a
    /// model name). An adapter not listed is requested by its id, so a server started with
    /// `--lora-modules &lt;adapter id&gt;=&lt;folder&gt;` needs no entry here.
    /// </summary>
    public Dictionary<string, string> AdapterModels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The model a request for <paramref name="adapterId"/> (null: the bot has none) is sent to.</summary>
    public string ModelFor(string? adapterId) =>
        adapterId is null ? Model! : AdapterModels.TryGetValue(adapterId, out var mapped) ? mapped : adapterId;
}

internal sealed class LanguageModelOptionsValidator : IValidateOptions<LanguageModelOptions>
{
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, LanguageModelOptions options)
    {
        var remote = options.Remote;
        if (!remote.Enabled) return ValidateOptionsResult.Success;
        const string prefix = $"{LanguageModelOptions.Section}:{nameof(LanguageModelOptions.Remote)}";
        var failures = new List<string>();
        if (!(Uri.TryCreate(remote.Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            failures.Add($"{prefix}:Endpoint '{remote.Endpoint}' must be an absolute http(s) URL of an OpenAI-compatible API (e.g. http://vllm:8000/v1).");
        if (string.IsNullOrWhiteSpace(remote.Model))
            failures.Add($"{prefix}:Model is required with {prefix}:Endpoint: the model name bots without an adapter are answered by.");
        if (remote.Timeout <= TimeSpan.Zero || remote.Timeout > MaxTimeout)
            failures.Add($"{prefix}:Timeout must be more than 0 and at most {MaxTimeout} (was {remote.Timeout}).");
        foreach (var (adapter, model) in remote.AdapterModels)
        {
            if (!Guid.TryParse(adapter, out _))
                failures.Add($"{prefix}:AdapterModels key '{adapter}' is not an adapter id (the GUID of its row in the Adapters table).");
            if (string.IsNullOrWhiteSpace(model))
                failures.Add($"{prefix}:AdapterModels:{adapter} must name the remote model serving that adapter.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
