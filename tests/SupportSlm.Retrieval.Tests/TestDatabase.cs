using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupportSlm.Persistence;
using SupportSlm.Retrieval.Embeddings;
using SupportSlm.Retrieval.Ingestion;
using SupportSlm.Retrieval.Search;

namespace SupportSlm.Retrieval.Tests;

/// <summary>A real, migrated SQLite file in a temporary folder (or a PostgreSQL database) with the retrieval services wired as the host wires them.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly Func<Task>? _drop;

    private TestDatabase(ServiceProvider services, string directory, Func<Task>? drop)
    {
        _services = services;
        DataDirectory = directory;
        _drop = drop;
    }

    public string DataDirectory { get; }
    public IServiceProvider Services => _services;
    public KnowledgeIngestor Ingestor => _services.GetRequiredService<KnowledgeIngestor>();
    public KnowledgeSources Sources => _services.GetRequiredService<KnowledgeSources>();
    public KnowledgeRetriever Retriever => _services.GetRequiredService<KnowledgeRetriever>();
    public IDbContextFactory<SupportSlmDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<SupportSlmDbContext>>();

    /// <param name="reranker">Registered as the host's language model registers its reranker; null registers none.</param>
    public static async Task<TestDatabase> CreateAsync(EmbeddingModel? model = null, Dictionary<string, string?>? settings = null,
        Domain.Knowledge.IPassageReranker? reranker = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["Persistence:DataDirectory"] = directory,
            ["Retrieval:SeedDefaultKnowledgeBase"] = "false",
        };
        return await StartAsync(model, settings, directory, values, null, reranker);
    }

    /// <summary>
    /// A fresh database on the PostgreSQL server named by SUPPORTSLM_TEST_POSTGRES (CI starts one with .ci/postgres.sh);
    /// a missing variable fails the test rather than skipping it.
    /// </summary>
    public static async Task<TestDatabase> CreateOnPostgreSqlAsync(Dictionary<string, string?>? settings = null)
    {
        var server = Environment.GetEnvironmentVariable("SUPPORTSLM_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("SUPPORTSLM_TEST_POSTGRES is not set: run `. .ci/postgres.sh` from the repository root " +
                "(it starts a throwaway PostgreSQL on loopback and exports the variable), then run the tests from that shell.");
        var name = $"supportslm_test_{Guid.NewGuid():N}";
        await PostgreSqlAsync(server, $"CREATE DATABASE \"{name}\"");
        var directory = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "PostgreSql",
            ["Persistence:ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString,
            ["Persistence:DataDirectory"] = directory,
            ["Retrieval:SeedDefaultKnowledgeBase"] = "false",
        };
        return await StartAsync(null, settings, directory, values, async () =>
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgreSqlAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        });
    }

    private static async Task PostgreSqlAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<TestDatabase> StartAsync(EmbeddingModel? model, Dictionary<string, string?>? settings, string directory,
        Dictionary<string, string?> values, Func<Task>? drop, Domain.Knowledge.IPassageReranker? reranker = null)
    {
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging().AddPersistence(configuration).AddRetrieval(configuration)
            .AddSingleton(EmbeddingModelProvider.Fixed(model));
        if (reranker is not null) services.AddSingleton(reranker);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return new TestDatabase(provider, directory, drop);
    }

    public Task<IngestionReport> IngestAsync(string kb, params SourceDocument[] documents) =>
        Ingestor.IngestAsync(kb, documents.Select(SourceItem.Ok).ToList(), null, CancellationToken.None);

    public Task<IReadOnlyList<Domain.Knowledge.KnowledgeHit>> SearchAsync(string kb, string query, SearchMode mode = SearchMode.Hybrid, int top = 5, int? version = null) =>
        Retriever.SearchAsync(kb, query, top, mode, version, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_drop is not null) await _drop();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { /* temp folder; best effort */ }
    }
}

internal static class Docs
{
    public static SourceDocument Markdown(string source, string text) => new(source, DocumentFormat.Markdown, System.Text.Encoding.UTF8.GetBytes(text));

    public static SourceDocument Of(string source, DocumentFormat format, string text) => new(source, format, System.Text.Encoding.UTF8.GetBytes(text));

    public const string Returns = """
        ---
        id: returns-policy
        title: Our returns policy
        ---

        # Our returns policy

        You can return most items within 30 days of delivery.

        ## Condition of returned items

        Items must be unused, unwashed and returned with the original tags attached.

        ## How you are refunded

        Refunds go to the original payment method within 5 business days of your parcel arriving.
        """;

    public const string Delivery = """
        # Delivery times

        Standard delivery takes 3 to 5 business days.

        ## Express delivery

        Order before 2pm for next-day express delivery, which costs £6.95.
        """;

    public const string Password = """
        # Reset your password

        ## Forgotten password

        Select "Forgotten password" on the sign-in page and follow the link in the email we send you within 10 minutes.
        """;
}
