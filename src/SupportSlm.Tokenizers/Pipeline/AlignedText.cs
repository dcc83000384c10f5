using System.Text;

namespace SupportSlm.Tokenizers.Pipeline;

/// <summary>
/// Text on its way through normalizers and pre-tokenizers that remembers, for each UTF-16 unit, the [Start, End) range
/// of the original input it came from, so tokens can report offsets into what the caller passed in.
/// </summary>
internal sealed class AlignedText
{
    public string Text { get; }
    public int[] Start { get; }
    public int[] End { get; }

    public AlignedText(string text, int[] start, int[] end)
    {
        Text = text;
        Start = start;
        End = end;
    }

    /// <summary>The original text itself: every unit maps to its own position (shifted by <paramref name="offset"/>).</summary>
    public static AlignedText Identity(string text, int offset = 0)
    {
        var start = new int[text.Length];
        var end = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            start[i] = offset + i;
            end[i] = offset + i + 1;
        }
        return new AlignedText(text, start, end);
    }

    public int Length => Text.Length;

    public AlignedText Slice(int start, int length) => new(Text.Substring(start, length), Start[start..(start + length)], End[start..(start + length)]);

    /// <summary>The original range covered by units [from, to).</summary>
    public (int Start, int End) Range(int from, int to) => to <= from ? (0, 0) : (Start[from], End[to - 1]);

    /// <summary>The range of the whole character (surrogate pair included) at unit <paramref name="index"/>.</summary>
    public (int Start, int End) CharacterRange(int index, out int width)
    {
        width = char.IsHighSurrogate(Text[index]) && index + 1 < Text.Length && char.IsLowSurrogate(Text[index + 1]) ? 2 : 1;
        return (Start[index], End[index + width - 1]);
    }

    /// <summary>Accumulates rewritten text with the original range of every unit written.</summary>
    public sealed class Builder(int capacity)
    {
        private readonly StringBuilder _text = new(capacity);
        private readonly List<int> _start = new(capacity);
        private readonly List<int> _end = new(capacity);

        public void Append(string text, (int Start, int End) range)
        {
            _text.Append(text);
            for (int i = 0; i < text.Length; i++)
            {
                _start.Add(range.Start);
                _end.Add(range.End);
            }
        }

        public void Append(AlignedText source, int from, int length)
        {
            _text.Append(source.Text, from, length);
            _start.AddRange(source.Start.AsSpan(from, length));
            _end.AddRange(source.End.AsSpan(from, length));
        }

        public AlignedText Build() => new(_text.ToString(), _start.ToArray(), _end.ToArray());
    }
}
