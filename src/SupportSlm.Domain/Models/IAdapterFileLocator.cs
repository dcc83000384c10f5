namespace SupportSlm.Domain.Models;

/// <summary>
/// Finds the <c>.onnx_adapter</c> file behind the adapter key the turn pipeline sends with a request (an
/// <see cref="Adapter"/>'s id, "D" format), so the runtime can load an adapter that was registered or activated after
/// it started — adapters are hot-added on first use, never by a restart.
/// </summary>
public interface IAdapterFileLocator
{
    /// <summary>The adapter file's full path, or null when no usable adapter has that key.</summary>
    string? Locate(string adapterKey);
}
