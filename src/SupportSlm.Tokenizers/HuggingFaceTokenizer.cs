using System.Text.Json;
using SupportSlm.Tokenizers.Models;
using SupportSlm.Tokenizers.Pipeline;

namespace SupportSlm.Tokenizers;

/// <summary>
/// A Hugging Face tokenizer.json pipeline (added tokens → normalizer → pre-tokenizer → model → post-processor, and the
/// decoder), behaving like the Hugging Face JS tokenizers (@huggingface/tokenizers, used by transformers.js).
/// </summary>
public sealed partial class HuggingFaceTokenizer : ITokenizer
{
    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly TokenModel _model;
    private readonly PostProcessor? _postProcessor;
    private readonly Decoder? _decoder;
    private readonly Dictionary<string, int> _vocab;
    private readonly string?[] _idToToken;
    private readonly string? _unknownToken;
    private readonly Dictionary<string, AddedToken> _addedTokens;
    private readonly AddedTokenSplitter _rawSplitter;
    private readonly AddedTokenSplitter _normalizedSplitter;
    private readonly HashSet<string> _specialContents;
    private readonly bool _cleanUpSpaces;

    internal HuggingFaceTokenizer(TokenizerDefinition definition)
    {
        _normalizer = definition.Normalizer;
        _preTokenizer = definition.PreTokenizer;
        _model = definition.Model;
        _vocab = definition.Vocabulary;
        _unknownToken = definition.UnknownToken;
        _cleanUpSpaces = definition.CleanUpTokenizationSpaces;
        _addedTokens = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        var raw = new List<string>();
        var normalized = new List<string>();
        foreach (var token in definition.AddedTokens)
        {
            _vocab[token.Content] = token.Id;
            _addedTokens[token.Content] = token;
            if (token.Normalized && _normalizer is not null)
            {
                string content = _normalizer.Normalize(token.Content);
                normalized.Add(content);
                _addedTokens[content] = token;
            }
            else
            {
                raw.Add(token.Content);
            }
        }
        _rawSplitter = new AddedTokenSplitter(raw);
        _normalizedSplitter = new AddedTokenSplitter(normalized);
        _specialContents = new HashSet<string>(definition.AddedTokens.Where(t => t.Special).Select(t => t.Content), StringComparer.Ordinal);
        _specialContents.UnionWith(definition.AdditionalSpecialTokens);
        _idToToken = new string?[_vocab.Count == 0 ? 0 : _vocab.Values.Max() + 1];
        foreach (var (token, id) in _vocab) _idToToken[id] = token;
        foreach (var token in definition.AddedTokens) _idToToken[token.Id] = token.Content;
        _decoder = definition.DecoderFactory(definition.AddedTokens.Select(t => t.Content).ToHashSet(StringComparer.Ordinal));
        _postProcessor = definition.PostProcessorFactory(TokenToId);
        Special = definition.SpecialTokensFactory(this, _specialContents);
    }

    public int VocabularySize => _idToToken.Length;

    public SpecialTokens Special { get; }

    /// <summary>The token string of an id as stored in the vocabulary, or null.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    public int? TokenToId(string token) => _vocab.TryGetValue(token, out int id) ? id : null;

    /// <summary>Loads a tokenizer.json; a tokenizer_config.json next to it supplies special tokens and decode cleanup.</summary>
    public static HuggingFaceTokenizer FromFile(string tokenizerJsonPath)
    {
        if (!File.Exists(tokenizerJsonPath)) throw new TokenizerException($"Tokenizer file not found: {tokenizerJsonPath}.");
        string configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerJsonPath))!, "tokenizer_config.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(tokenizerJsonPath), new JsonDocumentOptions { MaxDepth = 256 });
            using var config = File.Exists(configPath) ? JsonDocument.Parse(File.ReadAllBytes(configPath)) : null;
            return new HuggingFaceTokenizer(TokenizerJsonReader.Read(json.RootElement, config?.RootElement));
        }
        catch (JsonException ex)
        {
            throw new TokenizerException($"{tokenizerJsonPath} is not valid JSON ({ex.Message}); download the model's tokenizer.json again.", ex);
        }
    }

    /// <summary>Parses tokenizer.json text (and optionally tokenizer_config.json text).</summary>
    public static HuggingFaceTokenizer FromJson(string tokenizerJson, string? tokenizerConfigJson = null)
    {
        using var json = JsonDocument.Parse(tokenizerJson, new JsonDocumentOptions { MaxDepth = 256 });
        using var config = tokenizerConfigJson is null ? null : JsonDocument.Parse(tokenizerConfigJson);
        return new HuggingFaceTokenizer(TokenizerJsonReader.Read(json.RootElement, config?.RootElement));
    }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        if (addSpecialTokens && _postProcessor is not null) ids.AddRange(_postProcessor.SpecialIds.Before);
        EncodeText(text, ids);
        if (addSpecialTokens && _postProcessor is not null) ids.AddRange(_postProcessor.SpecialIds.After);
        return ids;
    }

    private void EncodeText(string text, List<int> ids)
    {
        var sections = _rawSplitter.Split(text);
        StripAroundAddedTokens(sections);
        var words = new List<string>();
        for (int sectionIndex = 0; sectionIndex < sections.Count; sectionIndex++)
        {
            string section = sections[sectionIndex];
            if (section.Length == 0) continue;
            if (_addedTokens.TryGetValue(section, out var added))
            {
                ids.Add(added.Id);
                continue;
            }
            string normalized = _normalizer is null ? section : _normalizer.Normalize(section);
            if (normalized.Length == 0) continue;
            var subsections = _normalizedSplitter.Split(normalized);
            StripAroundAddedTokens(subsections);
            foreach (var subsection in subsections)
            {
                if (subsection.Length == 0) continue;
                if (_addedTokens.TryGetValue(subsection, out var inner))
                {
                    ids.Add(inner.Id);
                    continue;
                }
                words.Clear();
                if (_preTokenizer is null) words.Add(subsection);
                else _preTokenizer.PreTokenize(subsection, sectionIndex, words);
                foreach (var word in words) _model.Encode(word, ids);
            }
        }
    }

    /// <summary>Added tokens with lstrip/rstrip swallow the whitespace next to them (JS trimEnd/trimStart).</summary>
    private void StripAroundAddedTokens(List<string> sections)
    {
        if (sections.Count < 2) return;
        for (int i = 0; i < sections.Count; i++)
        {
            if (!_addedTokens.TryGetValue(sections[i], out var token)) continue;
            if (token.LeftStrip && i > 0) sections[i - 1] = TextUtilities.TrimJs(sections[i - 1], false, true);
            if (token.RightStrip && i < sections.Count - 1) sections[i + 1] = TextUtilities.TrimJs(sections[i + 1], true, false);
        }
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true) => Decode(ids, skipSpecialTokens, _cleanUpSpaces);

    /// <summary>Decodes with explicit control of the reference's clean_up_tokenization_spaces step.</summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens, bool cleanUpTokenizationSpaces)
    {
        var tokens = new List<string>(ids.Count);
        foreach (int id in ids)
        {
            string? token = IdToToken(id) ?? _unknownToken;
            if (token is null || (skipSpecialTokens && _specialContents.Contains(token))) continue;
            tokens.Add(token);
        }
        string text = _decoder is null ? string.Join(' ', tokens) : string.Concat(_decoder.DecodeChain(tokens));
        return cleanUpTokenizationSpaces ? Decoder.CleanUpTokenization(text) : text;
    }

    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = true) =>
        new StreamingDecoder(ids => Decode(ids, skipSpecialTokens, cleanUpTokenizationSpaces: false));
}
