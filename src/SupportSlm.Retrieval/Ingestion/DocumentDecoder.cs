using System.Text;

namespace SupportSlm.Retrieval.Ingestion;

/// <summary>Rejects what is not a text document before any parser sees it: oversized, binary, or not UTF-8.</summary>
public static class DocumentDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(SourceDocument document, long maxBytes)
    {
        var bytes = document.Content;
        if (bytes.LongLength > maxBytes)
            throw new RetrievalException($"is {bytes.LongLength:N0} bytes, over the limit of {maxBytes:N0} (Retrieval:MaxDocumentBytes).");
        if (bytes.Length == 0) throw new RetrievalException("is empty.");
        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0) throw new RetrievalException($"looks binary (NUL byte at offset {nul}); only text documents can be ingested.");
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new RetrievalException($"is not valid UTF-8 (byte 0x{e.BytesUnknown?.FirstOrDefault():X2} at offset {e.Index}); convert it to UTF-8 and ingest again.");
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var control = text.Count(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t' or '\f'));
        if (control > text.Length / 100 + 2)
            throw new RetrievalException($"looks binary ({control} control characters); only text documents can be ingested.");
        return text;
    }
}
