namespace SupportSlm.Domain.Bots;

/// <summary>Read access to the configured bots, for channels that address a bot by name.</summary>
public interface IBotCatalog
{
    Task<Bot?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every bot, ordered by name.</summary>
    Task<IReadOnlyList<Bot>> ListAsync(CancellationToken cancellationToken);
}
