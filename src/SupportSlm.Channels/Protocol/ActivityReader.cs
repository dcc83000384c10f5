using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SupportSlm.Channels.DirectLine;

namespace SupportSlm.Channels.Protocol;

/// <summary>Reads one activity from a request body with a size bound; malformed or oversized input becomes an error result, never an exception.</summary>
internal static class ActivityReader
{
    public static async Task<(Activity? Activity, IResult? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));
        var body = await ReadLimitedAsync(request.Body, maxBytes, ct);
        if (body is null) return (null, TooLarge(maxBytes));
        try
        {
            var activity = JsonSerializer.Deserialize<Activity>(body, ProtocolJson.Options);
            return activity is null
                ? (null, DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.BadArgument, "The body must be one activity object."))
                : (activity, null);
        }
        catch (JsonException e)
        {
            return (null, DirectLineResults.Error(StatusCodes.Status400BadRequest, ErrorCodes.BadArgument, $"The body is not a valid activity: {e.Message}"));
        }
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(Stream body, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IResult TooLarge(int maxBytes) =>
        DirectLineResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.MessageTooLarge, $"The activity is larger than {maxBytes} bytes.");
}
