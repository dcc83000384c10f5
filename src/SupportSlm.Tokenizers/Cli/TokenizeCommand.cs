using System.CommandLine;

namespace SupportSlm.Tokenizers.Cli;

/// <summary>`supportslm tokenize --tokenizer &lt;file|folder&gt; [--ids]`: one line of tokens (or ids) per stdin line.</summary>
public static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizerOption = new Option<string>("--tokenizer") { Description = "tokenizer.json, vocab.txt, llama2.c tokenizer .bin, or a model folder", Required = true };
        var idsOption = new Option<bool>("--ids") { Description = "Print token ids instead of token strings" };
        var specialOption = new Option<bool>("--special") { Description = "Add the model's special tokens (BOS, [CLS]/[SEP])" };
        var command = new Command("tokenize", "Tokenize lines read from stdin") { tokenizerOption, idsOption, specialOption };
        command.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            ITokenizer tokenizer;
            try
            {
                tokenizer = TokenizerLoader.Load(parse.GetValue(tokenizerOption)!);
            }
            catch (TokenizerException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(ex.Message);
                return 1;
            }
            bool ids = parse.GetValue(idsOption);
            bool special = parse.GetValue(specialOption);
            while (await Console.In.ReadLineAsync(cancellation) is { } line)
            {
                var encoded = tokenizer.Encode(line, special);
                await output.WriteLineAsync(ids ? string.Join(' ', encoded) : string.Join(' ', encoded.Select(id => Show(tokenizer, id))));
            }
            return 0;
        });
        return command;
    }

    /// <summary>A token as stored in the vocabulary where the tokenizer can say, else its decoded text.</summary>
    private static string Show(ITokenizer tokenizer, int id) =>
        tokenizer is HuggingFaceTokenizer hf && hf.IdToToken(id) is { } token ? token : tokenizer.Decode([id], skipSpecialTokens: false);
}
