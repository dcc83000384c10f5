using System.Runtime.InteropServices;
using SupportSlm.Onnx;

namespace SupportSlm.Inference.Models;

/// <summary>
/// The present KV tensors of the last batched forward pass, kept as the next pass's past while the same sequences keep
/// decoding together. Feeding ONNX Runtime's outputs back unchanged is what makes a decode step copy no cache bytes:
/// caches are copied only when a sequence joins (packed into a new batch) or leaves (written back to its own storage).
/// Row r belongs to member r, right-aligned after <c>Length - member.Length</c> masked padding positions.
/// Released when the last member has left.
/// </summary>
internal sealed class KvBatch
{
    private readonly RunResult result;
    private readonly KvCache[] members;
    private int resident;

    public KvBatch(RunResult result, KvCache[] members, int length)
    {
        this.result = result;
        this.members = members;
        Length = length;
        resident = members.Length;
    }

    /// <summary>Positions per row, padding included.</summary>
    public int Length { get; }

    public int Rows => members.Length;

    /// <summary>True when <paramref name="rows"/> are exactly this batch's members, in order, all still resident.</summary>
    public bool Holds(IReadOnlyList<ForwardRow> rows)
    {
        if (rows.Count != members.Length || resident != members.Length)
        {
            return false;
        }

        for (var r = 0; r < rows.Count; r++)
        {
            if (!ReferenceEquals(rows[r].Cache, members[r]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The present tensor of KV pair <paramref name="tensor"/> (output 0 of the run is the logits).</summary>
    public OrtValue Tensor(int tensor) => result[tensor + 1];

    /// <summary>The bytes of <see cref="Tensor"/>, laid out [slice, row, head, position, head_size].</summary>
    public Span<byte> Bytes(int tensor) => Bytes(Tensor(tensor));

    public static Span<byte> Bytes(OrtValue value) => value.ElementType == TensorElementType.Float
        ? MemoryMarshal.AsBytes(value.GetTensorMutableData<float>())
        : MemoryMarshal.AsBytes(value.GetTensorMutableData<Half>());

    /// <summary>A member leaves; the tensors are freed with the last one.</summary>
    public void Leave()
    {
        if (--resident == 0)
        {
            result.Dispose();
        }
    }
}
