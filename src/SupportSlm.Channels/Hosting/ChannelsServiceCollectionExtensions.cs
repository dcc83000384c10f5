using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupportSlm.Channels.BotConnector;
using SupportSlm.Channels.DirectLine;
using SupportSlm.Channels.ScaleOut;
using SupportSlm.Channels.Turns;
using SupportSlm.Channels.Widget;
using SupportSlm.Domain.Bots;

namespace SupportSlm.Channels.Hosting;

public static class ChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the channels and their validated "Channels" options. The host must also register the ports they use:
    /// <see cref="Domain.Conversations.ITurnProcessor"/> (the pipeline), <see cref="Domain.Bots.IBotCatalog"/>,
    /// <see cref="Domain.Channels.IDirectLineStore"/> and <see cref="Domain.Channels.IDirectLineSecretStore"/> (AddPersistence provides them).
    /// Also provides the portal's <see cref="Domain.Bots.IChannelAdministration"/> (widget snippet, secret rotation).
    /// </summary>
    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChannelsOptions>().Bind(configuration.GetSection(ChannelsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChannelsOptions>, ChannelsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(ConnectorClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(ConnectorTokenProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(BotConnectorAuthenticator.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));

        services.AddSingleton<TurnRunner>();
        services.AddSingleton<IActivityHandler, SupportBotHandler>();
        services.AddSingleton<DirectLineTokens>();
        services.AddSingleton<DirectLineAuthenticator>();
        services.AddSingleton<IChannelAdministration, ChannelAdministration>();
        services.AddSingleton<DirectLineHub>();
        services.AddSingleton<DirectLineService>();
        services.AddSingleton<BotConnectorAuthenticator>();
        services.AddSingleton<ConnectorTokenProvider>();
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<BotConnectorConversations>();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<WidgetTokenLimiter>();
        services.AddHostedService<RedisBackplane>(); // idle unless Channels:Redis is set
        return services;
    }
}
