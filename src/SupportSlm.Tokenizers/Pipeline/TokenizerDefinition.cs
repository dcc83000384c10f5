using SupportSlm.Tokenizers.Models;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>The parts of a tokenizer pipeline, as read from tokenizer.json or built for vocab.txt.</summary>
internal sealed record TokenizerDefinition(
    Normalizer? Normalizer,
    PreTokenizer? PreTokenizer,
    TokenModel Model,
    Dictionary<string, int> Vocabulary,
    string? UnknownToken,
    IReadOnlyList<AddedToken> AddedTokens,
    IReadOnlyList<string> AdditionalSpecialTokens,
    Func<IReadOnlySet<string>, Decoder?> DecoderFactory,
    Func<Func<string, int?>, PostProcessor?> PostProcessorFactory,
    Func<ITokenizer, IReadOnlySet<string>, SpecialTokens> SpecialTokensFactory,
    bool CleanUpTokenizationSpaces);
