namespace SupportSlm.Training;

/// <summary>The one exception type of the training capability: bad files, mismatched configs, diverged runs.</summary>
public sealed class TrainingException : Exception
{
    public TrainingException(string message) : base(message) { }
    public TrainingException(string message, Exception inner) : base(message, inner) { }
}
