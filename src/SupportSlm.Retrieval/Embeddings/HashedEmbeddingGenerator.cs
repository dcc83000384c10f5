using Microsoft.Extensions.AI;

namespace SupportSlm.Retrieval.Embeddings;

/// <summary>Exposes <see cref="EmbeddingModel"/> through Microsoft.Extensions.AI so any consumer of the abstraction can use it.</summary>
public sealed class HashedEmbeddingGenerator(EmbeddingModel model) : IEmbeddingGenerator<string, Embedding<float>>
{
    public EmbeddingModel Model => model;

    public EmbeddingGeneratorMetadata Metadata { get; } =
        new("supportslm-hashed", defaultModelId: model.Fingerprint, defaultModelDimensions: model.Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        var scratch = new List<int>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vector = new float[model.Dimensions];
            model.Embed(value, vector, scratch);
            result.Add(new Embedding<float>(vector) { ModelId = model.Fingerprint, CreatedAt = DateTimeOffset.UtcNow });
        }
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceKey is null && serviceType == typeof(EmbeddingModel) ? model
        : null;

    public void Dispose() { }
}
