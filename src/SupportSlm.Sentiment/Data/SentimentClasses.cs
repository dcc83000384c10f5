using SupportSlm.Domain.Conversations;

namespace SupportSlm.Sentiment.Data;

/// <summary>Class indices of our classifier's outputs, in the order the model file stores them.</summary>
public static class SentimentClasses
{
    public const int Negative = 0;
    public const int Neutral = 1;
    public const int Positive = 2;
    public const int Count = 3;

    public static SentimentLabel ToLabel(int index) => index switch
    {
        Negative => SentimentLabel.Negative,
        Positive => SentimentLabel.Positive,
        _ => SentimentLabel.Neutral,
    };
}

/// <summary>Which labels a data set uses: three classes, or negative/positive only (no neutral examples exist).</summary>
public enum LabelScheme
{
    ThreeClass,
    Binary,
}

/// <summary>One labelled text; <see cref="Label"/> is a <see cref="SentimentClasses"/> index.</summary>
public sealed record LabelledText(string Text, int Label);
