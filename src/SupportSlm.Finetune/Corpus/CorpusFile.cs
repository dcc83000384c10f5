using System.Text;

namespace SupportSlm.Finetune.Corpus;

/// <summary>
/// Pre-training text: UTF-8, a first line "#supportslm-corpus v1", then documents separated by a line holding only
/// &lt;|endoftext|&gt; (the token the shard builder puts between documents). Documents may span several lines.
/// </summary>
public static class CorpusFile
{
    public const string Header = "#supportslm-corpus v1";
    public const string Separator = Grounded.ChatMl.EndOfText;
    private const string Regenerate = "Re-create it with `supportslm finetune-data pretrain-corpus`.";

    public static void Write(string path, IEnumerable<string> documents)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(Header);
        bool first = true;
        foreach (var doc in documents)
        {
            if (!first) writer.WriteLine(Separator);
            writer.WriteLine(doc.Replace("\r\n", "\n").Trim());
            first = false;
        }
    }

    public static IEnumerable<string> Read(string path)
    {
        Grounded.GroundedQaFile.RequireExists(path, "Corpus file", Regenerate);
        using var reader = new StreamReader(path, Encoding.UTF8);
        if (reader.ReadLine() != Header) throw new FinetuneException($"{path} does not start with \"{Header}\". {Regenerate}");
        var doc = new StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            if (line == Separator)
            {
                yield return doc.ToString().TrimEnd('\n');
                doc.Clear();
            }
            else doc.Append(line).Append('\n');
        }
        if (doc.Length > 0) yield return doc.ToString().TrimEnd('\n');
    }
}
