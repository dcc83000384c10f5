namespace SupportSlm.Channels.Widget;

/// <summary>The widget's own small files, embedded in the assembly.</summary>
internal static class WidgetAssets
{
    public static readonly string PageHtml = Read("page.html");
    public static readonly string PageScript = Read("page.js");
    public static readonly string EmbedScript = Read("embed.js");

    private static string Read(string name)
    {
        using var stream = typeof(WidgetAssets).Assembly.GetManifestResourceStream($"SupportSlm.Channels.Widget.{name}")
            ?? throw new ChannelsException($"The widget asset '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
