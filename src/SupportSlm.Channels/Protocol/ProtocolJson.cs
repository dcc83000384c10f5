using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupportSlm.Channels.Protocol;

/// <summary>The Activity protocol's JSON conventions: camelCase names, nulls left out, enums never numeric surprises.</summary>
public static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };
}
