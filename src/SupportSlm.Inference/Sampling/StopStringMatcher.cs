namespace SupportSlm.Inference.Sampling;

/// <summary>
/// Streams text while watching for stop strings: text that could still become the start of a stop string is held back
/// until it is ruled out, so a client never sees part of a stop string. Not thread-safe.
/// </summary>
public sealed class StopStringMatcher(IReadOnlyList<string> stopStrings)
{
    private string pending = "";

    public bool Stopped { get; private set; }

    /// <summary>Adds text; returns what may be shown now. After a stop string, returns the text before it and sets <see cref="Stopped"/>.</summary>
    public string Append(string text)
    {
        if (Stopped)
        {
            return "";
        }

        pending += text;
        var cut = stopStrings.Select(s => pending.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (cut >= 0)
        {
            Stopped = true;
            var before = pending[..cut];
            pending = "";
            return before;
        }

        var held = stopStrings.Select(HeldSuffix).DefaultIfEmpty(0).Max();
        var ready = pending[..^held];
        pending = pending[^held..];
        return ready;
    }

    /// <summary>Releases held text at the end of generation.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : pending;
        pending = "";
        return rest;
    }

    /// <summary>Length of the longest end of the pending text that is a proper start of <paramref name="stop"/>.</summary>
    private int HeldSuffix(string stop)
    {
        for (var length = Math.Min(stop.Length - 1, pending.Length); length > 0; length--)
        {
            if (string.CompareOrdinal(pending, pending.Length - length, stop, 0, length) == 0)
            {
                return length;
            }
        }

        return 0;
    }
}
