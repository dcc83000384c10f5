using Microsoft.Extensions.Logging;

namespace SupportSlm.Persistence.CommandLine;

/// <summary>Plain one-line logs to the CLI's error stream, so stdout stays clean for machine-readable output.</summary>
public sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(writer);

    public void Dispose() { }

    private sealed class Logger(TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // The cause on the same line: an operator reading "failed to answer" needs the reason, not a stack trace.
            var cause = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
            lock (writer) writer.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}{cause}");
        }
    }
}
