using SupportSlm.Domain.Knowledge;

namespace SupportSlm.Finetune.Grounded;

/// <summary>
/// The ChatML layout the shipped model is trained on and served with:
/// <c>&lt;|im_start|&gt;system\n…&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n…&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n…&lt;|im_end|&gt;</c>.
/// The system turn holds the instructions and the numbered passages [1]..[n]; the serving prompt builder must render
/// the same text for the model to see what it was trained on.
/// </summary>
public static class ChatMl
{
    public const string Start = "<|im_start|>";
    public const string End = "<|im_end|>";
    public const string EndOfText = "<|endoftext|>";

    public static readonly IReadOnlyList<string> SpecialTokens = [Start, End, EndOfText];

    public static string Turn(string role, string content) => $"{Start}{role}\n{content}{End}\n";

    /// <summary>Everything the model reads before it answers, ending where the assistant's text starts.</summary>
    public static string Prompt(string system, string user) => Turn("system", system) + Turn("user", user) + $"{Start}assistant\n";

    /// <summary>A prompt with an earlier exchange of the conversation between the system turn and the question.</summary>
    public static string Prompt(string system, string earlierQuestion, string earlierAnswer, string user) =>
        Turn("system", system) + Turn("user", earlierQuestion) + Turn("assistant", earlierAnswer) + Turn("user", user) + $"{Start}assistant\n";

    /// <summary>The loss-bearing part: the answer and the end-of-turn marker the model must learn to emit.</summary>
    public static string Reply(string answer) => answer + End;

    /// <summary>The default bot's own instructions, which come before the grounding rules.</summary>
    public static string BotPrompt(string companyName) => $"You are the customer support assistant of {companyName}.";

    /// <summary>The grounded system turn exactly as the turn pipeline renders it (<see cref="GroundedPrompt"/>).</summary>
    public static string GroundedSystem(string companyName, IReadOnlyList<KnowledgeHit> passages) =>
        GroundedPrompt.System(BotPrompt(companyName), passages);
}
