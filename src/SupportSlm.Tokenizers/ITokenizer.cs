namespace SupportSlm.Tokenizers;

/// <summary>
/// Text to token ids and back, exact to the reference implementation of the format it was loaded from.
/// Implementations are immutable after loading and safe to share between threads.
/// </summary>
public interface ITokenizer
{
    int VocabularySize { get; }

    /// <summary>Ids of the special tokens the model was trained with (BOS/EOS/PAD/UNK and every added special token).</summary>
    SpecialTokens Special { get; }

    /// <summary>Encodes text; <paramref name="addSpecialTokens"/> applies the post-processor (e.g. BOS for Llama, [CLS]/[SEP] for BERT).</summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false);

    string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true);

    /// <summary>A decoder for streaming: feed ids one at a time, get back only complete UTF-8 text.</summary>
    IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = true);

    /// <summary>The id of a vocabulary entry or added token written exactly as stored (e.g. "&lt;|im_end|&gt;"), or null.</summary>
    int? TokenToId(string token);
}

/// <summary>The special token ids of a tokenizer; null where the model has none.</summary>
public sealed record SpecialTokens(int? Bos, int? Eos, int? Pad, int? Unknown, IReadOnlySet<int> All);

/// <summary>Stateful streaming decoder for one generated sequence. Not thread-safe.</summary>
public abstract class IncrementalDecoder
{
    /// <summary>Adds one id; returns the text that became complete (possibly empty, never a broken UTF-8 sequence).</summary>
    public abstract string Append(int id);

    /// <summary>Returns whatever is still held back at the end of the sequence (incomplete bytes as U+FFFD, like the reference).</summary>
    public abstract string Flush();
}
