using Microsoft.AspNetCore.Components;

namespace SupportSlm.Admin.Components.Shared;

/// <summary>
/// Base for interactive pages that re-read the database every few seconds while a circuit is connected (each read
/// uses its own DbContext, created by the page's service). Prerendering reads once and starts no timer.
/// </summary>
public abstract class LiveRefresh : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource stop = new();

    protected virtual TimeSpan Interval => TimeSpan.FromSeconds(2);

    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    protected override async Task OnInitializedAsync()
    {
        await RefreshAsync(stop.Token);
        if (RendererInfo.IsInteractive) _ = PollAsync();
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync(stop.Token);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // the circuit went away
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
