using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportSlm.Domain.Bots;
using SupportSlm.Domain.Channels;
using SupportSlm.Domain.Conversations;
using SupportSlm.Domain.Models;
using SupportSlm.Persistence.Identity;

namespace SupportSlm.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers the DbContext factories (product and portal identity) for the configured provider, the migrator and the database health check.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PersistenceOptions>().Bind(configuration.GetSection(PersistenceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PersistenceOptions>, PersistenceOptionsValidator>();
        services.AddDbContextFactory<SupportSlmDbContext>((sp, builder) =>
            DbContextOptionsFactory.Configure(builder, sp.GetRequiredService<IOptions<PersistenceOptions>>().Value));
        services.AddDbContextFactory<AdminIdentityDbContext>((sp, builder) =>
            DbContextOptionsFactory.Configure(builder, sp.GetRequiredService<IOptions<PersistenceOptions>>().Value));
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IBotCatalog, BotCatalog>();
        services.AddSingleton<IDirectLineStore, DirectLineStore>();
        services.AddSingleton<IDirectLineSecretStore, DirectLineSecretStore>();
        services.AddSingleton<IConversationStore, ConversationStore>();
        services.AddSingleton<IAdapterFileLocator, DatabaseAdapterLocator>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>Applies migrations when the host starts (the embedded default), unless Persistence:MigrateOnStartup is false.</summary>
    public static IServiceCollection AddMigrateOnStartup(this IServiceCollection services) =>
        services.AddHostedService<MigrateOnStartup>();
}
