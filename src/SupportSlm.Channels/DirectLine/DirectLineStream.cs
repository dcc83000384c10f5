using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SupportSlm.Channels.Protocol;

namespace SupportSlm.Channels.DirectLine;

/// <summary>
/// The WebSocket at a conversation's streamUrl: one ActivitySet text frame per batch of stored activities after the
/// client's watermark, plus live typing. The token rides in the URL because browsers cannot set headers on a WebSocket.
/// </summary>
internal static class DirectLineStream
{
    /// <summary>How often a stream re-reads the store without a local signal (catches writes by other instances).</summary>
    public static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(5);

    public static async Task AcceptAsync(string conversationId, string? t, string? watermark, HttpContext http,
        DirectLineAuthenticator auth, DirectLineService service, DirectLineHub hub)
    {
        var ct = http.RequestAborted;
        if (auth.AuthenticateCredential(t, out var error, allowSecret: false) is not { } caller)
        {
            await error!.ExecuteAsync(http);
            return;
        }
        var (_, _, accessError) = await DirectLineEndpoints.AuthorizeAsync(caller, service, conversationId, ct);
        if (accessError is not null)
        {
            await accessError.ExecuteAsync(http);
            return;
        }
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.BadArgument, "This URL only accepts WebSocket connections.").ExecuteAsync(http);
            return;
        }
        if (!DirectLineEndpoints.TryParseWatermark(watermark, out var after))
        {
            await DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.BadArgument, "The watermark is not one this service issued.").ExecuteAsync(http);
            return;
        }

        using var subscription = hub.Subscribe(conversationId); // before the first read, so nothing stored in between is missed
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receiving = DrainAsync(socket, closed);
        // Without ?watermark= a new stream replays what the conversation holds (directlinejs expects the
        // activities posted between start and connect); with one it continues from there.
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var set = await service.ReadAsync(conversationId, after, closed.Token);
                if (set.Activities.Count > 0)
                {
                    await SendAsync(socket, set, closed.Token);
                    after = long.Parse(set.Watermark!, System.Globalization.CultureInfo.InvariantCulture);
                    if (set.Activities.Count == DirectLineService.PageSize) continue;
                }
                if (await WaitAsync(subscription, socket, closed.Token) is { } ephemeral)
                    await SendAsync(socket, new ActivitySet([ephemeral], null), closed.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // client went away
        }
        finally
        {
            await closed.CancelAsync();
            await receiving;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
                catch (WebSocketException) { }
            }
        }
    }

    /// <summary>Waits for a signal; returns an ephemeral activity to push, or null to re-read the store.</summary>
    private static async Task<Activity?> WaitAsync(DirectLineHub.Subscription subscription, WebSocket socket, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RescanInterval);
        try
        {
            var signal = await subscription.Reader.ReadAsync(timeout.Token);
            return signal;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, true, ct); // keep-alive; clients ignore empty frames
            return null;
        }
    }

    private static Task SendAsync(WebSocket socket, ActivitySet set, CancellationToken ct) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(set, ProtocolJson.Options), WebSocketMessageType.Text, true, ct);

    /// <summary>Reads (and ignores) the client's ping frames until it closes; then stops the sender.</summary>
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        finally
        {
            await closed.CancelAsync();
        }
    }
}
