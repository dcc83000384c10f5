namespace SupportSlm.Host.Tests;

public sealed class RemoteModelOptionsTests
{
    private static IEnumerable<string> Failures(RemoteModelOptions remote) =>
        new LanguageModelOptionsValidator().Validate(null, new LanguageModelOptions { Remote = remote }).Failures ?? [];

    [Fact]
    public void Unset_endpoint_means_the_local_model_and_nothing_else_is_checked()
    {
        Assert.Empty(Failures(new RemoteModelOptions { Timeout = TimeSpan.Zero }));
    }

    [Fact]
    public void Each_bad_remote_setting_is_named()
    {
        var failures = Failures(new RemoteModelOptions
        {
            Endpoint = "ftp://models/v1",
            Timeout = TimeSpan.FromHours(1),
            AdapterModels = { ["returns"] = "returns-lora", ["6f1c2d0e-5b8a-4c44-9d53-0d6f0e1a2b3c"] = " " },
        }).ToList();

        Assert.Collection(failures,
            f => Assert.StartsWith("LanguageModel:Remote:Endpoint 'ftp://models/v1' must be an absolute http(s) URL", f),
            f => Assert.StartsWith("LanguageModel:Remote:Model is required", f),
            f => Assert.StartsWith("LanguageModel:Remote:Timeout must be more than 0 and at most 00:10:00", f),
            f => Assert.StartsWith("LanguageModel:Remote:AdapterModels key 'returns' is not an adapter id", f),
            f => Assert.StartsWith("LanguageModel:Remote:AdapterModels:6f1c2d0e-5b8a-4c44-9d53-0d6f0e1a2b3c must name the remote model", f));
    }

    [Fact]
    public void A_bot_is_sent_to_its_adapters_mapped_model_else_to_the_adapter_id_else_to_the_base_model()
    {
        var remote = new RemoteModelOptions { Endpoint = "http://vllm:8000/v1", Model = "base", AdapterModels = { ["6F1C2D0E-5B8A-4C44-9D53-0D6F0E1A2B3C"] = "returns-lora" } };
        Assert.Empty(Failures(remote));
        Assert.Equal("base", remote.ModelFor(null));
        Assert.Equal("returns-lora", remote.ModelFor("6f1c2d0e-5b8a-4c44-9d53-0d6f0e1a2b3c"));
        Assert.Equal("0b7e9a41-2c6d-4f0e-8a1b-3d5c7e9f1a2b", remote.ModelFor("0b7e9a41-2c6d-4f0e-8a1b-3d5c7e9f1a2b"));
    }
}
