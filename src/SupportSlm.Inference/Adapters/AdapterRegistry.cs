using System.Collections.Concurrent;
using SupportSlm.Domain.Models;
using SupportSlm.Onnx;
using SupportSlm.Onnx.Adapters;

namespace SupportSlm.Inference.Adapters;

/// <summary>
/// LoRA adapters (.onnx_adapter) loaded once and selectable per request by name (the file name without extension).
/// Adapters can be added and removed while requests run: a removed adapter stays usable by the sequences that already
/// hold it and is released when the last one finishes. A name not loaded yet is looked up with the
/// <see cref="IAdapterFileLocator"/> (the database's adapters) and loaded on its first request. Thread-safe.
/// </summary>
public sealed class AdapterRegistry(IAdapterFileLocator? locator = null) : IDisposable
{
    public const string Extension = ".onnx_adapter";

    private readonly ConcurrentDictionary<string, LoadedAdapter> adapters = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => adapters.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Loads every <c>*.onnx_adapter</c> in <paramref name="folder"/>.</summary>
    public static AdapterRegistry FromFolder(string? folder, IAdapterFileLocator? locator = null)
    {
        var registry = new AdapterRegistry(locator);
        if (string.IsNullOrWhiteSpace(folder))
        {
            return registry;
        }

        if (!Directory.Exists(folder))
        {
            throw new InferenceException(InferenceError.InvalidAdapter, $"Adapter folder '{Path.GetFullPath(folder)}' does not exist. Create it or fix Inference:AdaptersPath.");
        }

        foreach (var (name, file) in FilesIn(folder))
        {
            registry.Add(name, file);
        }

        return registry;
    }

    /// <summary>The adapter files of <paramref name="folder"/> with the names requests select them by (file name without extension).</summary>
    public static IEnumerable<(string Name, string Path)> FilesIn(string folder) =>
        Directory.EnumerateFiles(folder, "*" + Extension).Order(StringComparer.Ordinal).Select(file => (Path.GetFileNameWithoutExtension(file), file));

    /// <summary>Loads (or replaces) the adapter <paramref name="name"/> from <paramref name="path"/>.</summary>
    public void Add(string name, string path)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InferenceException(InferenceError.InvalidAdapter, "An adapter needs a non-empty name.");
        }

        var full = Path.GetFullPath(path);
        LoraAdapter adapter;
        try
        {
            // Our reader first: it names the defect and the command that rewrites the file; ORT then maps it.
            OnnxAdapterFile.Load(full);
            adapter = LoraAdapter.FromFile(full);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceError.InvalidAdapter, $"Adapter '{name}' cannot be loaded from '{full}': {e.OrtMessage}", e);
        }

        var loaded = new LoadedAdapter(name, full, adapter);
        if (adapters.TryGetValue(name, out var previous) && adapters.TryUpdate(name, loaded, previous))
        {
            previous.Retire();
            return;
        }

        if (!adapters.TryAdd(name, loaded))
        {
            loaded.Retire();
            throw new InferenceException(InferenceError.InvalidAdapter, $"Adapter '{name}' was added concurrently; retry.");
        }
    }

    /// <summary>Stops offering <paramref name="name"/>; sequences already using it finish with it.</summary>
    public bool Remove(string name)
    {
        if (!adapters.TryRemove(name, out var removed))
        {
            return false;
        }

        removed.Retire();
        return true;
    }

    /// <summary>Takes a reference to the adapter for one sequence; release it with <see cref="LoadedAdapter.Release"/>.</summary>
    public LoadedAdapter Acquire(string name)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (!adapters.TryGetValue(name, out var adapter))
            {
                if (locator?.Locate(name) is not { } path)
                {
                    break;
                }

                Add(name, path);
                continue;
            }

            if (adapter.TryAcquire())
            {
                return adapter;
            }
        }

        throw new InferenceException(InferenceError.InvalidAdapter,
            $"No adapter named '{name}'. Loaded: {(adapters.IsEmpty ? "none" : string.Join(", ", Names))}. Put '{name}{Extension}' in Inference:AdaptersPath or add it first.");
    }

    public void Dispose()
    {
        foreach (var name in adapters.Keys.ToArray())
        {
            Remove(name);
        }
    }
}

/// <summary>A loaded adapter and the run options that activate it; reference-counted so removal never breaks a running sequence.</summary>
public sealed class LoadedAdapter
{
    private readonly Lock gate = new();
    private readonly LoraAdapter adapter;
    private int references = 1; // the registry's own
    private bool retired;

    internal LoadedAdapter(string name, string path, LoraAdapter adapter)
    {
        Name = name;
        Path = path;
        this.adapter = adapter;
        RunOptions = new RunOptions();
        RunOptions.AddActiveLoraAdapter(adapter);
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>Run options with this adapter active; pass them to every forward pass of the sequences using it.</summary>
    public RunOptions RunOptions { get; }

    internal bool TryAcquire()
    {
        lock (gate)
        {
            if (retired) return false;
            references++;
            return true;
        }
    }

    public void Release()
    {
        lock (gate)
        {
            if (--references > 0) return;
        }

        RunOptions.Dispose();
        adapter.Dispose();
    }

    internal void Retire()
    {
        lock (gate)
        {
            if (retired) return;
            retired = true;
        }

        Release();
    }
}
