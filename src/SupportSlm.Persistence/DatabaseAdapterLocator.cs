using Microsoft.EntityFrameworkCore;
using SupportSlm.Domain.Models;

namespace SupportSlm.Persistence;

/// <summary>
/// The runtime's way to an adapter registered in the database (admin upload, the shipped adapter): the turn pipeline
/// names a bot's active adapter by its id, and the first request with that id loads the file.
/// </summary>
public sealed class DatabaseAdapterLocator(IDbContextFactory<SupportSlmDbContext> contexts) : IAdapterFileLocator
{
    public string? Locate(string adapterKey)
    {
        if (!Guid.TryParseExact(adapterKey, "D", out var id)) return null;
        using var db = contexts.CreateDbContext();
        var adapter = db.Adapters.AsNoTracking().FirstOrDefault(a => a.Id == id);
        return adapter is { Status: AdapterStatus.Ready or AdapterStatus.Active } && File.Exists(adapter.FilePath) ? adapter.FilePath : null;
    }
}
