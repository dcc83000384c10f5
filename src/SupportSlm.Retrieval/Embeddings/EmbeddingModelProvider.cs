using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SupportSlm.Retrieval.Embeddings;

/// <summary>
/// Loads the trained embedding model once. A missing file is not fatal: search falls back to BM25 and says so once in the
/// log; a corrupt or wrong-version file is, with the command that regenerates it.
/// </summary>
public sealed class EmbeddingModelProvider
{
    private readonly Lazy<EmbeddingModel?> _model;

    public EmbeddingModelProvider(IOptions<RetrievalOptions> options, ILogger<EmbeddingModelProvider> logger)
    {
        _model = new Lazy<EmbeddingModel?>(() =>
        {
            var path = ResolvePath(options.Value);
            if (!File.Exists(path))
            {
                logger.LogWarning("No embedding model at {Path}: searches use BM25 only. Create it with `{Command}`.", path, EmbeddingModel.RegenerateCommand);
                return null;
            }
            return EmbeddingModel.Load(path);
        });
    }

    private EmbeddingModelProvider(EmbeddingModel? model) => _model = new Lazy<EmbeddingModel?>(model);

    /// <summary>A provider with a given model (or none), for tools and tests that do not read the configured file.</summary>
    public static EmbeddingModelProvider Fixed(EmbeddingModel? model) => new(model);

    public EmbeddingModel? Model => _model.Value;

    public EmbeddingModel Require() => Model ?? throw new RetrievalException(
        $"Dense search needs the embedding model; create it with `{EmbeddingModel.RegenerateCommand}`.");

    public static string ResolvePath(RetrievalOptions options) =>
        string.IsNullOrWhiteSpace(options.EmbeddingModelPath) ? RepositoryPaths.DefaultEmbeddingModel : Path.GetFullPath(options.EmbeddingModelPath);

    /// <summary>What a chunk's vector is computed from: the same "title. heading. text" shape the model was trained on.</summary>
    public static string ChunkText(string title, string? heading, string text) => $"{title}. {heading}. {text}";
}
