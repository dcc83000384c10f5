using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SupportSlm.Admin;

/// <summary>
/// What the portal's upload forms (knowledge files, adapters) share. The size limit is enforced while the body is read
/// (a declared length over it is refused before reading), antiforgery is validated once the form is read under that
/// limit, and the "file" part is checked for presence and size. Every refusal, and every <see cref="AdminException"/>
/// from processing the upload, goes back to the page as a message; nothing is kept from a refused upload.
/// </summary>
internal static class UploadForm
{
    /// <summary>Room for the multipart boundaries and the form's other fields around the file.</summary>
    private const long FormOverhead = 64 * 1024;

    /// <param name="page">The page to go back to, with its query if it has one; the message is appended to the query.</param>
    /// <param name="limit">Largest accepted file, in bytes.</param>
    /// <param name="limitSetting">The setting that raises <paramref name="limit"/>, named in the refusal.</param>
    /// <param name="fileDescription">What to choose, for the refusal of an empty form ("a file").</param>
    /// <param name="process">Handles an accepted upload and returns the page's success message.</param>
    public static async Task<IResult> HandleAsync(HttpContext context, IAntiforgery antiforgery, string page, long limit, string limitSetting,
        string fileDescription, Func<IFormCollection, IFormFile, Task<string>> process, CancellationToken cancellationToken)
    {
        try
        {
            var form = await ReadAsync(context, antiforgery, limit, limitSetting, cancellationToken);
            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0) throw new AdminException($"Choose {fileDescription} to upload.");
            if (file.Length > limit) throw new AdminException($"'{file.FileName}' is {Size(file.Length)}; the upload limit is {Size(limit)}.");
            return Back(page, "message", await process(form, file));
        }
        catch (AdminException e)
        {
            return Back(page, "error", e.Message);
        }
    }

    private static async Task<IFormCollection> ReadAsync(HttpContext context, IAntiforgery antiforgery, long limit, string limitSetting,
        CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit + FormOverhead)
            throw new AdminException($"The file is larger than the {Size(limit)} upload limit ({limitSetting}).");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limit + FormOverhead;
        try
        {
            var form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit + FormOverhead }, cancellationToken);
            await antiforgery.ValidateRequestAsync(context);
            return form;
        }
        catch (AntiforgeryValidationException e)
        {
            throw new AdminException("The form expired; reload the page and upload again.", e);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
        {
            throw new AdminException($"The upload could not be read ({e.Message}). Files may be at most {Size(limit)}.", e);
        }
    }

    private static IResult Back(string page, string kind, string text) =>
        Results.Redirect($"{page}{(page.Contains('?') ? '&' : '?')}{kind}={Uri.EscapeDataString(text)}");

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB" : $"{bytes / 1024.0:0.#} KiB";
}
