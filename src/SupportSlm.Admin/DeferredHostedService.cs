using Microsoft.Extensions.Hosting;

namespace SupportSlm.Admin;

/// <summary>
/// Builds a hosted service when the host starts it, not when the host lists its hosted services. The host constructs
/// every hosted service before starting any, so a service whose constructor needs other capabilities' ports (fine-tuning
/// needs the trainer, which needs retrieval, which may load the language model) would otherwise load them before the
/// settings are validated and before earlier hosted services (the model warm-up) have run.
/// </summary>
internal sealed class DeferredHostedService<T>(Func<T> create) : IHostedService where T : IHostedService
{
    private T? service;

    public Task StartAsync(CancellationToken cancellationToken) => (service = create()).StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => service?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
