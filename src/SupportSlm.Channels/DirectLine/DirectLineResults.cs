using Microsoft.AspNetCore.Http;
using SupportSlm.Channels.Protocol;

namespace SupportSlm.Channels.DirectLine;

/// <summary>JSON results in the Activity protocol's conventions.</summary>
internal static class DirectLineResults
{
    public static IResult Json(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, ProtocolJson.Options, statusCode: status);

    public static IResult Error(int status, string code, string message) => Json(ErrorResponse.Of(code, message), status);
}
