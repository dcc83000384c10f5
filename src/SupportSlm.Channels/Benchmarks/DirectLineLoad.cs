using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportSlm.Channels.Protocol;

namespace SupportSlm.Channels.Benchmarks;

/// <summary>
/// The loopback load generator's parts shared by the channel benchmarks: their options, a customer question posted over
/// Direct Line, the activity sets a conversation's WebSocket pushes, and nearest-rank percentiles.
/// </summary>
internal static class DirectLineLoad
{
    public static string? Arg(string[] args, string name, string? fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static int[] Numbers(string list) => list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Posts question <paramref name="turn"/> of conversation <paramref name="index"/> as the customer; returns the accepted activity's id.</summary>
    public static async Task<string> PostQuestionAsync(HttpClient http, string conversationId, string user, int index, int turn)
    {
        var body = JsonSerializer.Serialize(new Activity
        {
            Type = ActivityTypes.Message,
            Text = $"conversation {index} question {turn}: how do I return an item?",
            From = new ChannelAccount { Id = user },
        }, ProtocolJson.Options);
        using var accepted = await http.PostAsync($"/v3/directline/conversations/{conversationId}/activities", new StringContent(body, Encoding.UTF8, "application/json"));
        accepted.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!;
    }

    /// <summary>The next activity set the stream pushes; empty for a keep-alive.</summary>
    public static async Task<List<JsonNode>> ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, ct);
            frame.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return frame.Length == 0 ? [] : JsonNode.Parse(frame.ToArray())!["activities"]!.AsArray().Select(a => a!).ToList();
    }

    public static bool IsReplyTo(JsonNode activity, string activityId) =>
        (string?)activity["type"] == "message" && (string?)activity["replyToId"] == activityId;
}
