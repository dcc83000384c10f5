namespace SupportSlm.Inference.Serving;

/// <summary>What a request does when the queue is full.</summary>
public enum QueueFullMode
{
    /// <summary>Fail at once with <see cref="InferenceError.QueueFull"/> (an HTTP 429 upstream).</summary>
    Reject,

    /// <summary>Wait (cancellable) until the queue has room.</summary>
    Wait,
}

/// <summary>Capacity of the inference worker.</summary>
public sealed record InferenceWorkerOptions
{
    /// <summary>Sequences decoded together in one forward pass.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>Requests waiting for a batch slot.</summary>
    public int QueueCapacity { get; init; } = 64;

    public QueueFullMode WhenQueueFull { get; init; } = QueueFullMode.Reject;

    /// <summary>Bytes of KV cache idle conversations may keep (least recently used are evicted first).</summary>
    public long KvCacheBudgetBytes { get; init; } = 256L << 20;
}
