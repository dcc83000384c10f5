namespace SupportSlm.Training.Inference;

/// <summary>Something that turns the token at a position into next-token logits, keeping its own KV cache.</summary>
public interface ITokenDecoder
{
    /// <summary>Logits [V] after <paramref name="token"/> at <paramref name="pos"/>; positions are fed in order 0, 1, 2, ….</summary>
    float[] Step(int token, int pos);
}
