using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace SupportSlm.Admin.Models;

/// <summary>
/// POST /admin/api/adapters: the Models page's upload form (multipart: file, name, baseModelId, alpha). The body is
/// streamed to a temporary file with the size limit enforced while reading, checked, then registered; every refusal
/// comes back to the page as a message, and nothing is kept from a refused upload.
/// </summary>
internal static class AdapterUploadEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ModelAdministration models, IAntiforgery antiforgery,
        IOptions<AdminOptions> options, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxAdapterUploadBytes;
        if (context.Request.ContentLength > limit + 64 * 1024)
            return Back(error: $"The file is larger than the {Size(limit)} upload limit (Admin:MaxAdapterUploadBytes).");
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
            return Back(error: $"The upload could not be read ({e.Message}). Files may be at most {Size(limit)}.");
        }

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0) return Back(error: "Choose a .onnx_adapter file to upload.");
        if (file.Length > limit) return Back(error: $"'{file.FileName}' is {Size(file.Length)}; the upload limit is {Size(limit)}.");
        if (!Guid.TryParse(form["baseModelId"], out var baseModelId)) return Back(error: "Choose the base model this adapter was trained for.");
        if (!double.TryParse(form["alpha"], NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha)) return Back(error: "LoRA alpha must be a number.");

        var temporary = Path.Combine(models.AdapterDirectory, $".upload-{Guid.NewGuid():N}");
        Directory.CreateDirectory(models.AdapterDirectory);
        await using (var target = File.Create(temporary))
            await file.CopyToAsync(target, cancellationToken);
        try
        {
            var adapter = await models.RegisterUploadAsync(temporary, file.FileName, form["name"].ToString(), baseModelId, alpha,
                context.User.Identity!.Name!, cancellationToken);
            return Back(message: $"Adapter '{adapter.Name}' (rank {adapter.Rank}) uploaded.");
        }
        catch (AdminException e)
        {
            return Back(error: e.Message);
        }
    }

    private static IResult Back(string? error = null, string? message = null) =>
        Results.Redirect("/admin/models?" + (error is not null ? "error=" + Uri.EscapeDataString(error) : "message=" + Uri.EscapeDataString(message!)));

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB" : $"{bytes / 1024.0:0.#} KiB";
}
