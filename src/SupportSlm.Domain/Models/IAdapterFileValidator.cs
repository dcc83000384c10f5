namespace SupportSlm.Domain.Models;

/// <summary>
/// Checks an uploaded LoRA adapter file (.onnx_adapter) before it is registered. Implemented by the ONNX capability;
/// the portal refuses adapter uploads (saying so) until an implementation is registered.
/// </summary>
public interface IAdapterFileValidator
{
    /// <summary>Reads the file at <paramref name="path"/>; never throws for a malformed file but says why in the result.</summary>
    Task<AdapterFileCheck> CheckAsync(string path, CancellationToken cancellationToken);
}

/// <summary>The outcome of checking an adapter file: valid with what was found in it, or invalid with a reason for the uploader.</summary>
public sealed record AdapterFileCheck(bool IsValid, string Message, int? Rank, int ParameterCount)
{
    public static AdapterFileCheck Valid(int? rank, int parameterCount) =>
        new(true, $"{parameterCount} adapter parameter(s)" + (rank is { } r ? $", rank {r}" : ""), rank, parameterCount);

    public static AdapterFileCheck Invalid(string reason) => new(false, reason, null, 0);
}
