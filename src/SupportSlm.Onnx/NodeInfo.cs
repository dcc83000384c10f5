namespace SupportSlm.Onnx;

/// <summary>A session input or output as ORT reports it. <see cref="Shape"/> uses -1 for dimensions that are symbolic
/// or unknown; <see cref="SymbolicDimensions"/> holds the symbol name (or null) per dimension.</summary>
public sealed record NodeInfo(
    string Name,
    OnnxValueType ValueType,
    TensorElementType ElementType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string?> SymbolicDimensions)
{
    public override string ToString() =>
        $"{Name}: {ElementType}[{string.Join(", ", Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : SymbolicDimensions[i] ?? "?"))}]";
}
