using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SupportSlm.Admin.Models;

/// <summary>
/// POST /admin/api/adapters: the Models page's upload form (multipart: file, name, baseModelId, alpha). The file is
/// copied to a temporary file next to the adapters, checked, then registered (which moves or deletes it).
/// </summary>
internal static class AdapterUploadEndpoint
{
    public static Task<IResult> HandleAsync(HttpContext context, ModelAdministration models, IAntiforgery antiforgery,
        IOptions<AdminOptions> options, CancellationToken cancellationToken) =>
        UploadForm.HandleAsync(context, antiforgery, "/admin/models", options.Value.MaxAdapterUploadBytes, "Admin:MaxAdapterUploadBytes",
            "a .onnx_adapter file", async (form, file) =>
            {
                if (!Guid.TryParse(form["baseModelId"], out var baseModelId)) throw new AdminException("Choose the base model this adapter was trained for.");
                if (!double.TryParse(form["alpha"], NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha)) throw new AdminException("LoRA alpha must be a number.");

                var temporary = Path.Combine(models.AdapterDirectory, $".upload-{Guid.NewGuid():N}");
                Directory.CreateDirectory(models.AdapterDirectory);
                await using (var target = File.Create(temporary))
                    await file.CopyToAsync(target, cancellationToken);
                var adapter = await models.RegisterUploadAsync(temporary, file.FileName, form["name"].ToString(), baseModelId, alpha,
                    context.User.Identity!.Name!, cancellationToken);
                return $"Adapter '{adapter.Name}' (rank {adapter.Rank}) uploaded.";
            }, cancellationToken);
}
