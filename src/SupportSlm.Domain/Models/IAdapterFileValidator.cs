namespace SupportSlm.Domain.Models;

/// <summary>
/// Checks an uploaded LoRA adapter file (.onnx_adapter) before it is registered. Implemented by the ONNX capability;
/// the portal refuses adapter uploads (saying so) until an implementation is registered.
/// </summary>
public interface IAdapterFileValidator
{
    /// <summary>Reads the file at <paramref name="path"/>; never throws for a malformed file but says why in the result.</summary>
    Task<AdapterFileCheck> CheckAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="CheckAsync(string, CancellationToken)"/>, and also whether every tensor fits an input of the base
    /// model at <paramref name="baseModelPath"/>: ONNX Runtime only reports a mismatch when a request runs, so this is where
    /// the uploader can still be told. Validators that cannot read models check the file alone.
    /// </summary>
    Task<AdapterFileCheck> CheckAsync(string path, string baseModelPath, CancellationToken cancellationToken) => CheckAsync(path, cancellationToken);
}

/// <summary>The outcome of checking an adapter file: valid with what was found in it, or invalid with a reason for the uploader.</summary>
public sealed record AdapterFileCheck(bool IsValid, string Message, int? Rank, int ParameterCount)
{
    public static AdapterFileCheck Valid(int? rank, int parameterCount) =>
        new(true, $"{parameterCount} adapter parameter(s)" + (rank is { } r ? $", rank {r}" : ""), rank, parameterCount);

    public static AdapterFileCheck Invalid(string reason) => new(false, reason, null, 0);
}
