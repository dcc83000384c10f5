using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace SupportSlm.Admin.Knowledge;

/// <summary>
/// POST /admin/api/knowledge/{name}/files: the Knowledge page's upload form. The size limit is enforced while the body
/// is read; every refusal comes back to the page as a message and nothing is ingested from a refused upload.
/// </summary>
internal static class KnowledgeUploadEndpoint
{
    public static async Task<IResult> HandleAsync(string name, HttpContext context, KnowledgeAdministration knowledge, IAntiforgery antiforgery,
        IOptions<AdminOptions> options, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxKnowledgeUploadBytes;
        IResult Back(string? error = null, string? message = null) => Results.Redirect(
            $"/admin/knowledge?kb={Uri.EscapeDataString(name)}&" + (error is not null ? "error=" + Uri.EscapeDataString(error) : "message=" + Uri.EscapeDataString(message!)));

        if (context.Request.ContentLength > limit + 64 * 1024)
            return Back(error: $"The file is larger than the {limit / 1024} KiB upload limit (Admin:MaxKnowledgeUploadBytes).");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limit + 64 * 1024;
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit + 64 * 1024 }, cancellationToken);
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return Back(error: "The form expired; reload the page and upload again.");
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
        {
            return Back(error: $"The upload could not be read ({e.Message}). Files may be at most {limit / 1024} KiB.");
        }

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0) return Back(error: "Choose a file to upload.");
        if (file.Length > limit) return Back(error: $"'{file.FileName}' is larger than the {limit / 1024} KiB upload limit.");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        try
        {
            var result = await knowledge.UploadAsync(name, file.FileName, buffer.ToArray(), context.User.Identity!.Name!, cancellationToken);
            return Back(message: $"'{file.FileName}' ingested: {KnowledgeAdministration.Describe(result)}.");
        }
        catch (AdminException e)
        {
            return Back(error: e.Message);
        }
    }
}
