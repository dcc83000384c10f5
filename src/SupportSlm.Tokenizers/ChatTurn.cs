namespace SupportSlm.Tokenizers;

/// <summary>One turn to render with a <see cref="ChatTemplate"/>. Role is "system", "user", "assistant" or "tool".</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>Renders a conversation into the exact prompt text a model family was trained on.</summary>
public abstract partial class ChatTemplate
{
    /// <summary>The prompt for <paramref name="turns"/>; with <paramref name="addGenerationPrompt"/> it ends where the assistant's answer starts.</summary>
    public abstract string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt);

    /// <summary>Strings that end an assistant turn (e.g. "&lt;|im_end|&gt;"); generation stops on them.</summary>
    public abstract IReadOnlyList<string> StopStrings { get; }
}
