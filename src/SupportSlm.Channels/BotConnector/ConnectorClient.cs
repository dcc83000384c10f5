using System.Net.Http.Headers;
using System.Net.Http.Json;
using SupportSlm.Channels.Protocol;

namespace SupportSlm.Channels.BotConnector;

/// <summary>Sends activities to a conversation through the connector REST API at the activity's serviceUrl.</summary>
public sealed class ConnectorClient(IHttpClientFactory httpClients, ConnectorTokenProvider tokens)
{
    public const string HttpClientName = "SupportSlm.BotConnector";

    /// <summary>POSTs to …/v3/conversations/{id}/activities[/{replyToId}] and returns the connector's id for the activity.</summary>
    public async Task<string?> SendAsync(string serviceUrl, string conversationId, string? replyToId, Activity activity, CancellationToken cancellationToken)
    {
        // Teams' serviceUrl ends with '/', the Agents Playground's does not: join without doubling it.
        var url = $"{serviceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";
        if (!string.IsNullOrEmpty(replyToId)) url += "/" + Uri.EscapeDataString(replyToId);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(activity, options: ProtocolJson.Options) };
        if (await tokens.GetTokenAsync(cancellationToken) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new ChannelsException($"The connector at {serviceUrl} answered {(int)response.StatusCode} to an activity of type '{activity.Type}'.");
            if (response.Content.Headers.ContentLength is 0 || response.Content.Headers.ContentType?.MediaType != "application/json") return null;
            var body = await response.Content.ReadFromJsonAsync<ResourceResponse>(ProtocolJson.Options, cancellationToken);
            return body?.Id;
        }
        catch (HttpRequestException e)
        {
            throw new ChannelsException($"The connector at {serviceUrl} could not be reached: {e.Message}", e);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // delivered; the connector's body just is not a ResourceResponse
        }
    }
}
