using SupportSlm.Domain.Models;
using SupportSlm.Onnx;
using SupportSlm.Onnx.Adapters;
using SupportSlm.Onnx.Model;
using SupportSlm.Onnx.Protobuf;

namespace SupportSlm.Inference.Adapters;

/// <summary>
/// Checks an uploaded <c>.onnx_adapter</c> the way the runtime will use it, so a bad file is refused at upload rather
/// than failing a customer's turn after activation: our reader (identifier, format version, every offset inside the
/// file, each tensor's bytes matching its shape), LoRA A/B pairs that agree on one rank, ONNX Runtime's own loader, and,
/// given the base model, that every tensor is one of that model's inputs with a compatible shape (ORT would otherwise
/// say so only when a request runs). A malformed file is a result with the reason, never an exception.
/// </summary>
public sealed class AdapterFileValidator : IAdapterFileValidator
{
    private const string ExportHint = "export one with `supportslm export --checkpoint <lora checkpoint> --out <folder> --adapter`";

    public Task<AdapterFileCheck> CheckAsync(string path, CancellationToken cancellationToken) =>
        Task.Run(() => Check(path, baseModelPath: null), cancellationToken);

    public Task<AdapterFileCheck> CheckAsync(string path, string baseModelPath, CancellationToken cancellationToken) =>
        Task.Run(() => Check(path, baseModelPath), cancellationToken);

    internal static AdapterFileCheck Check(string path, string? baseModelPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AdapterFileCheck.Invalid($"the server could not read the uploaded file ({e.Message})");
        }

        if (bytes.Length == 0) return AdapterFileCheck.Invalid("the file is empty");
        if (bytes.Length < 8 || System.Text.Encoding.ASCII.GetString(bytes, 4, 4) != OnnxAdapterFile.FileIdentifier)
            return AdapterFileCheck.Invalid($"it is not an ONNX Runtime LoRA adapter, which carries the identifier '{OnnxAdapterFile.FileIdentifier}' at bytes 4-7; {ExportHint}");

        OnnxAdapter adapter;
        try
        {
            adapter = OnnxAdapterFile.Read(bytes);
        }
        catch (Exception e) when (e is OnnxRuntimeException or OverflowException)
        {
            // Our reader names the defect: an unsupported format version, or a structure past the end of a cut-off file.
            var why = e is OnnxRuntimeException ort ? ort.OrtMessage : e.Message;
            return AdapterFileCheck.Invalid(why.Contains("format_version", StringComparison.Ordinal) ? why : $"it is truncated or damaged ({why})");
        }

        if (TensorProblem(adapter.Parameters) is { } damaged) return AdapterFileCheck.Invalid(damaged);
        if (RankProblem(adapter.Parameters, out var rank) is { } notLora) return AdapterFileCheck.Invalid(notLora);

        try
        {
            using var loaded = LoraAdapter.FromFile(path);
        }
        catch (OnnxRuntimeException e)
        {
            return AdapterFileCheck.Invalid($"ONNX Runtime refuses it: {e.OrtMessage}");
        }

        if (baseModelPath is not null && BaseModelProblem(adapter.Parameters, baseModelPath) is { } mismatch)
            return AdapterFileCheck.Invalid(mismatch);

        var parameters = adapter.Parameters.Sum(p => Elements(p.Dims) ?? 0);
        return AdapterFileCheck.Valid(rank, (int)Math.Min(parameters, int.MaxValue));
    }

    private static string? TensorProblem(IReadOnlyList<OnnxAdapterParameter> parameters)
    {
        if (parameters.Count == 0) return "it holds no tensors, so it is not a LoRA adapter (which holds lora_A / lora_B weight pairs)";
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (string.IsNullOrWhiteSpace(p.Name)) return "a tensor has no name, so ONNX Runtime could not apply it to any model input";
            if (!names.Add(p.Name)) return $"the tensor '{p.Name}' appears twice";
            var size = TensorElementTypes.SizeOf(p.DataType);
            if (size == 0) return $"the tensor '{p.Name}' has element type {p.DataType}, which no LoRA weight has";
            if (p.Dims.Any(d => d < 0)) return $"the tensor '{p.Name}' has a negative dimension {Shape(p.Dims)}";
            if (Elements(p.Dims) is not { } elements || elements > long.MaxValue / size || elements * size != p.RawData.Length)
                return $"the tensor '{p.Name}' of shape {Shape(p.Dims)} {p.DataType} does not match its {p.RawData.Length:N0} bytes of data: the file is damaged";
        }

        return null;
    }

    /// <summary>
    /// Every lora_A has its lora_B (and back), both matrices, sharing one inner dimension: that is the rank. Our exporter
    /// writes A as [in, r] and B as [r, out]; PEFT's layout [r, in] / [out, r] is recognised too.
    /// </summary>
    private static string? RankProblem(IReadOnlyList<OnnxAdapterParameter> parameters, out int rank)
    {
        rank = 0;
        var byName = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var ranks = new SortedSet<long>();
        foreach (var p in parameters)
        {
            var isA = p.Name.Contains("lora_A", StringComparison.Ordinal);
            if (!isA && !p.Name.Contains("lora_B", StringComparison.Ordinal)) continue;
            var partnerName = isA ? ReplaceLast(p.Name, "lora_A", "lora_B") : ReplaceLast(p.Name, "lora_B", "lora_A");
            if (!byName.TryGetValue(partnerName, out var partner)) return $"'{p.Name}' has no matching '{partnerName}'";
            if (!isA) continue;
            if (p.Dims.Count != 2 || partner.Dims.Count != 2)
                return $"LoRA weights are matrices, but '{p.Name}' is {Shape(p.Dims)} and '{partner.Name}' is {Shape(partner.Dims)}";
            long? r = p.Dims[1] == partner.Dims[0] ? p.Dims[1] : p.Dims[0] == partner.Dims[1] ? p.Dims[0] : null;
            if (r is not { } found || found < 1)
                return $"'{p.Name}' {Shape(p.Dims)} and '{partner.Name}' {Shape(partner.Dims)} do not share a LoRA rank";
            ranks.Add(found);
        }

        if (ranks.Count == 0)
            return $"none of its {parameters.Count} tensor(s) is a LoRA weight (names containing lora_A / lora_B), so it is not a LoRA adapter; {ExportHint}";
        if (ranks.Count > 1) return $"its LoRA pairs have different ranks ({string.Join(", ", ranks)}); an adapter has one rank";
        rank = (int)Math.Min(ranks.Min, int.MaxValue);
        return null;
    }

    /// <summary>
    /// Read from the model file itself: ONNX Runtime lists LoRA weights (inputs with a default initializer) as overridable
    /// initializers, not among a session's inputs, and an adapter tensor must match one of those graph inputs by name.
    /// </summary>
    private static string? BaseModelProblem(IReadOnlyList<OnnxAdapterParameter> parameters, string baseModelPath)
    {
        IReadOnlyList<ValueInfoProto> inputs;
        try
        {
            inputs = OnnxModelFile.Load(baseModelPath).Graph.Input;
        }
        catch (OnnxRuntimeException e)
        {
            return $"its base model at '{baseModelPath}' cannot be read ({e.OrtMessage}), so the adapter cannot be checked against it";
        }

        var byName = inputs.GroupBy(i => i.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var loraInputs = inputs.Where(i => i.Name.Contains("lora_", StringComparison.Ordinal)).ToArray();
        foreach (var p in parameters)
        {
            if (!byName.TryGetValue(p.Name, out var input))
                return loraInputs.Length == 0
                    ? "the base model has no LoRA inputs, so no adapter can be applied to it (re-export the model with --adapter)"
                    : $"the tensor '{p.Name}' is not an input of the base model (it has {loraInputs.Length} LoRA inputs such as '{loraInputs[0].Name}'): the adapter was trained for another model";
            var tensor = input.Type?.TensorType;
            var type = (TensorElementType)(tensor?.ElemType ?? 0);
            if (type != p.DataType) return $"the tensor '{p.Name}' holds {p.DataType} but the base model's input takes {type}";
            // A named (symbolic) dimension such as the rank takes any size; a fixed one must match.
            var dims = tensor?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : (long?)null).ToArray() ?? [];
            var fits = dims.Length == p.Dims.Count && dims.Zip(p.Dims).All(d => d.First is null || d.First == d.Second);
            if (!fits)
                return $"the tensor '{p.Name}' has shape {Shape(p.Dims)} but the base model's input is [{string.Join(", ", tensor?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam) ?? [])}]: the adapter was trained for another model";
        }

        return null;
    }

    /// <summary>Elements of a shape; null when the dimensions overflow (a damaged file claims an impossible size).</summary>
    private static long? Elements(IReadOnlyList<long> dims)
    {
        try
        {
            return dims.Aggregate(1L, (count, d) => checked(count * d));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string ReplaceLast(string text, string from, string to)
    {
        var at = text.LastIndexOf(from, StringComparison.Ordinal);
        return text[..at] + to + text[(at + from.Length)..];
    }

    private static string Shape(IReadOnlyList<long> dims) => $"[{string.Join(", ", dims)}]";
}
