namespace SupportSlm.Inference;

/// <summary>Why an inference request or model load failed in a way the caller can act on.</summary>
public enum InferenceError
{
    /// <summary>A model folder or file is missing, unreadable or not a supported decoder.</summary>
    InvalidModel,

    /// <summary>The prompt does not fit the model's context window.</summary>
    PromptTooLong,

    /// <summary>The request queue is full (HTTP 429 upstream): retry later.</summary>
    QueueFull,

    /// <summary>A request carried settings outside their valid range.</summary>
    InvalidRequest,

    /// <summary>An adapter is unknown or its file is unusable.</summary>
    InvalidAdapter,

    /// <summary>The worker was shut down.</summary>
    ShuttingDown,
}

/// <summary>The one exception type of SupportSlm.Inference for expected failures; the message says what to do.</summary>
public sealed class InferenceException(InferenceError error, string message, Exception? inner = null) : Exception(message, inner)
{
    public InferenceError Error { get; } = error;
}
