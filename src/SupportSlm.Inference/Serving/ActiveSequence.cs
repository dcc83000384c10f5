using System.Diagnostics;
using System.Threading.Channels;
using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sampling;
using SupportSlm.Inference.Sessions;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Serving;

/// <summary>A request inside the worker: its cache, sampler, detokenizer and output stream. Touched only by the worker
/// thread, except <see cref="Cancel"/>.</summary>
internal sealed class ActiveSequence
{
    private readonly Channel<GenerationUpdate> output = Channel.CreateUnbounded<GenerationUpdate>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly long started = Stopwatch.GetTimestamp();
    private volatile bool cancelled;
    private TimeSpan firstToken;

    public ActiveSequence(GenerationRequest request) => Request = request;

    public GenerationRequest Request { get; }

    public ChannelReader<GenerationUpdate> Output => output.Reader;

    public bool IsCancelled => cancelled;

    public bool IsFinished { get; private set; }

    public ChatSession? Session { get; private set; }

    public KvCache Cache { get; private set; } = null!;

    public LoadedAdapter? Adapter { get; private set; }

    /// <summary>Tokens to feed in the next forward pass.</summary>
    public IReadOnlyList<int> Pending { get; private set; } = [];

    public List<int> Generated { get; } = [];

    private Sampler sampler = null!;
    private IncrementalDecoder? decoder;
    private StopStringMatcher? stops;
    private HashSet<int> stopIds = [];
    private int reused;
    private int contextLength;
    private SessionCache? sessionsToReturn;

    public void Cancel() => cancelled = true;

    /// <summary>Binds the sequence to its cache (reusing the session's prefix) and adapter.</summary>
    public void Prepare(ModelHost host, ITokenizer? tokenizer, SessionCache sessions, AdapterRegistry adapters)
    {
        var prompt = Request.PromptTokens;
        sessionsToReturn = sessions;
        if (Request.SessionId is { } id)
        {
            Session = sessions.Lease(id, key => new ChatSession(key, host.CreateCache()));
        }

        Cache = Session?.Cache ?? host.CreateCache();
        reused = Session?.ReusePrefix(prompt) ?? 0;
        Pending = prompt.Skip(reused).ToArray();
        Adapter = Request.Adapter is { } name ? adapters.Acquire(name) : null;
        sampler = new Sampler(Request.Sampling, prompt);
        decoder = tokenizer?.CreateIncrementalDecoder(skipSpecialTokens: true);
        stops = Request.Sampling.StopStrings.Count > 0 ? new StopStringMatcher(Request.Sampling.StopStrings) : null;
        stopIds = Request.Sampling.IgnoreEos ? [.. Request.Sampling.StopTokenIds] : [.. host.EosTokenIds, .. Request.Sampling.StopTokenIds];
        contextLength = host.ContextLength;
    }

    /// <summary>Records that <see cref="Pending"/> went through the model, then picks and emits the next token.</summary>
    public void Advance(float[] logits)
    {
        Session?.Fed(Pending);
        Pending = [];
        var token = sampler.Next(logits);
        if (stopIds.Contains(token))
        {
            Finish(FinishReason.Stop);
            return;
        }

        if (Generated.Count == 0)
        {
            firstToken = Stopwatch.GetElapsedTime(started);
        }

        Generated.Add(token);
        var text = decoder?.Append(token) ?? "";
        if (stops is not null)
        {
            text = stops.Append(text);
        }

        output.Writer.TryWrite(new GenerationUpdate(token, text));
        if (stops?.Stopped == true)
        {
            Finish(FinishReason.Stop);
        }
        else if (Generated.Count >= Request.Sampling.MaxTokens || Cache.Length + 1 > contextLength)
        {
            Finish(FinishReason.Length);
        }
        else
        {
            Pending = [token];
        }
    }

    public void Finish(FinishReason reason)
    {
        var rest = stops is null ? decoder?.Flush() ?? "" : stops.Stopped ? "" : stops.Append(decoder?.Flush() ?? "") + stops.Flush();
        var summary = new GenerationSummary(reason, Request.PromptTokens.Count, reused, Generated.Count, firstToken, Stopwatch.GetElapsedTime(started));
        output.Writer.TryWrite(new GenerationUpdate(null, rest, summary));
        Close(keepSession: true, error: null);
    }

    /// <summary>Ends the stream with <paramref name="error"/> (null: the consumer already left).</summary>
    public void Fail(Exception? error, bool keepSession) => Close(keepSession, error);

    private void Close(bool keepSession, Exception? error)
    {
        if (IsFinished)
        {
            return;
        }

        // Session and adapter go back before the stream completes, so a caller's next turn finds its cache. A kept
        // session's positions are copied out of the decode batch; any other cache just leaves it.
        IsFinished = true;
        Adapter?.Release();
        Adapter = null;
        if (Session is { } session && keepSession)
        {
            session.Cache.Detach();
        }
        else
        {
            Cache?.Drop(); // null when Prepare failed before binding a cache
        }

        if (Session is { } leased)
        {
            Session = null;
            sessionsToReturn?.Return(leased, keepSession);
        }

        output.Writer.TryComplete(error);
    }
}
