using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SupportSlm.Host.Tests;

/// <summary>
/// The real host in memory, with its own SQLite data directory and any extra settings. No language model unless a
/// setting names one (the shipped models/default may or may not exist in a checkout): the host then runs admin-only.
/// </summary>
public sealed class HostFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "supportslm-tests", Guid.NewGuid().ToString("N"));

    public string MissingModelPath => Path.Combine(DataDirectory, "no-model");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Persistence:DataDirectory", DataDirectory);
        builder.UseSetting("Inference:ModelPath", MissingModelPath);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { /* temp folder */ }
    }
}
