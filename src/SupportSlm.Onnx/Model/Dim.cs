namespace SupportSlm.Onnx.Model;

/// <summary>One dimension of a declared tensor type: a fixed size or a symbol ("batch", "past_seq_len").
/// Converts implicitly from <see cref="long"/> and <see cref="string"/>, so shapes read like <c>("batch", 16)</c>.</summary>
public readonly record struct Dim
{
    private Dim(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    public long? Size { get; }

    public string? Symbol { get; }

    public static Dim Fixed(long size) => size >= 0
        ? new Dim(size, null)
        : throw new ArgumentOutOfRangeException(nameof(size), size, "Dimension sizes must be ≥ 0; use a symbol for unknown sizes.");

    public static Dim Symbolic(string symbol) => string.IsNullOrWhiteSpace(symbol)
        ? throw new ArgumentException("A symbolic dimension needs a name.", nameof(symbol))
        : new Dim(null, symbol);

    public static implicit operator Dim(long size) => Fixed(size);

    public static implicit operator Dim(string symbol) => Symbolic(symbol);

    public override string ToString() => Symbol ?? Size!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
