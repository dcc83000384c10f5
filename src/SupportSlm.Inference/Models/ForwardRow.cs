namespace SupportSlm.Inference.Models;

/// <summary>One sequence in a batched forward pass: the tokens to feed after what <paramref name="Cache"/> already holds.</summary>
public sealed record ForwardRow(KvCache Cache, IReadOnlyList<int> Tokens);
