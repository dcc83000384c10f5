namespace SupportSlm.Onnx;

/// <summary>The outputs of one Run, in the requested order; disposing the result releases every output.</summary>
public sealed class RunResult : IReadOnlyList<OrtValue>, IDisposable
{
    private readonly string[] names;
    private readonly OrtValue[] values;

    internal RunResult(string[] names, OrtValue[] values)
    {
        this.names = names;
        this.values = values;
    }

    public IReadOnlyList<string> Names => names;

    public int Count => values.Length;

    public OrtValue this[int index] => values[index];

    public OrtValue this[string name]
    {
        get
        {
            var index = Array.IndexOf(names, name);
            return index >= 0
                ? values[index]
                : throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                    $"'{name}' is not among this run's outputs ({string.Join(", ", names)}).");
        }
    }

    public IEnumerator<OrtValue> GetEnumerator() => ((IEnumerable<OrtValue>)values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var value in values)
        {
            value.Dispose();
        }
    }
}
