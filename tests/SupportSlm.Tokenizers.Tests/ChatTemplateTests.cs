namespace SupportSlm.Tokenizers.Tests;

public sealed class ChatTemplateTests
{
    private static readonly ChatTurn[] Conversation = [new("system", "Be brief."), new("user", "Hi"), new("assistant", "Hello!"), new("user", "Refund?")];

    [Fact]
    public void ChatMl_renders_our_format()
    {
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nRefund?<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplate.ChatMl.Render(Conversation, addGenerationPrompt: true));
        Assert.Equal(["<|im_end|>"], ChatTemplate.ChatMl.StopStrings);
    }

    [Fact]
    public void Llama_families_render_their_markers()
    {
        Assert.Equal("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Refund? [/INST]", ChatTemplate.Llama2.Render(Conversation, true));
        Assert.Equal("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nRefund?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            ChatTemplate.Llama3.Render(Conversation, true));
        Assert.Equal("<s>[INST] Be brief.\n\nHi [/INST]Hello!</s>[INST] Refund? [/INST]", ChatTemplate.Mistral.Render(Conversation, true));
        Assert.Equal("<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n<|user|>\nRefund?</s>\n<|assistant|>\n", ChatTemplate.Zephyr.Render(Conversation, true));
        Assert.Equal("<|user|>\nHi<|end|>\n<|assistant|>\n", ChatTemplate.Phi3.Render([new("user", "Hi")], true));
    }

    [Theory]
    [InlineData("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}", "ChatMl")]
    [InlineData("{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}", "Llama3")]
    [InlineData("{{ bos_token + '[INST] ' + '<<SYS>>\\n' }}", "Llama2")]
    [InlineData("{{ '[INST] ' + message['content'] + ' [/INST]' }}", "Mistral")]
    [InlineData("{{ '<|user|>\\n' + message['content'] + '<|end|>\\n' }}{{ '<|assistant|>\\n' }}", "Phi3")]
    [InlineData("{{ '<|user|>\\n' + message['content'] + eos_token }}{{ '<|assistant|>' }}", "Zephyr")]
    public void Recognizes_families_from_their_jinja(string jinja, string family)
    {
        var expected = typeof(ChatTemplate).GetProperty(family)!.GetValue(null);
        Assert.Same(expected, ChatTemplate.Recognize(jinja));
    }

    [Fact]
    public void Unknown_or_missing_templates_say_so()
    {
        string folder = Directory.CreateTempSubdirectory("supportslm-chat").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"chat_template": "{{ message['content'] }}"}""");
            Assert.Contains("not one of the known families", Assert.Throws<TokenizerException>(() => ChatTemplate.FromFolder(folder)).Message);
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"chat_template": [{"name": "default", "template": "<|im_start|>"}]}""");
            Assert.Same(ChatTemplate.ChatMl, ChatTemplate.FromFolder(folder));
            Assert.Contains("no chat_template", Assert.Throws<TokenizerException>(() => ChatTemplate.FromFolder(TestPaths.MiniLmFolder)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
