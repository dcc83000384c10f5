using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SupportSlm.Admin.Knowledge;

/// <summary>POST /admin/api/knowledge/{name}/files: the Knowledge page's upload form (multipart: file), ingested into knowledge base {name}.</summary>
internal static class KnowledgeUploadEndpoint
{
    public static Task<IResult> HandleAsync(string name, HttpContext context, KnowledgeAdministration knowledge, IAntiforgery antiforgery,
        IOptions<AdminOptions> options, CancellationToken cancellationToken) =>
        UploadForm.HandleAsync(context, antiforgery, $"/admin/knowledge?kb={Uri.EscapeDataString(name)}",
            options.Value.MaxKnowledgeUploadBytes, "Admin:MaxKnowledgeUploadBytes", "a file", async (_, file) =>
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                var result = await knowledge.UploadAsync(name, file.FileName, buffer.ToArray(), context.User.Identity!.Name!, cancellationToken);
                return $"'{file.FileName}' ingested: {KnowledgeAdministration.Describe(result)}.";
            }, cancellationToken);
}
