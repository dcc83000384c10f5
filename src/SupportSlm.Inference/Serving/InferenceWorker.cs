using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using SupportSlm.Inference.Adapters;
using SupportSlm.Inference.Models;
using SupportSlm.Inference.Sessions;
using SupportSlm.Tokenizers;

namespace SupportSlm.Inference.Serving;

/// <summary>
/// The one thread that drives the model. Requests wait in a bounded queue; between decode steps the worker admits as
/// many as the batch has room for, prefills them together, and then decodes every active sequence in one forward pass
/// per adapter (continuous batching at step granularity). While the same sequences decode together their caches stay in
/// the batch's KV tensors (<see cref="KvBatch"/>), so a step copies no cache bytes; a finished sequence's cache is copied
/// out only when its conversation is kept. A cancelled or abandoned stream leaves the batch at the next step boundary.
/// Thread-safe for callers.
/// </summary>
public sealed class InferenceWorker : IDisposable
{
    private readonly ModelHost host;
    private readonly ITokenizer? tokenizer;
    private readonly AdapterRegistry adapters;
    private readonly InferenceWorkerOptions options;
    private readonly Channel<ActiveSequence> queue;
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread thread;
    private long steps, batchedRows;
    private int largestBatch;

    public InferenceWorker(ModelHost host, ITokenizer? tokenizer, InferenceWorkerOptions? options = null, AdapterRegistry? adapters = null)
    {
        this.host = host;
        this.tokenizer = tokenizer;
        this.options = options ?? new InferenceWorkerOptions();
        this.adapters = adapters ?? new AdapterRegistry();
        if (this.options.MaxBatchSize < 1 || this.options.QueueCapacity < 1)
        {
            throw new InferenceException(InferenceError.InvalidRequest,
                $"MaxBatchSize and QueueCapacity must be ≥ 1 (got {this.options.MaxBatchSize} and {this.options.QueueCapacity}).");
        }

        Sessions = new SessionCache(this.options.KvCacheBudgetBytes);
        queue = Channel.CreateBounded<ActiveSequence>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        thread = new Thread(Run) { IsBackground = true, Name = "SupportSlm inference worker" };
        thread.Start();
    }

    public ModelHost Model => host;

    public ITokenizer? Tokenizer => tokenizer;

    public SessionCache Sessions { get; }

    public AdapterRegistry Adapters => adapters;

    /// <summary>Decode and prefill forward passes run so far.</summary>
    public long Steps => Interlocked.Read(ref steps);

    /// <summary>Sequence rows fed across all forward passes (rows ÷ steps is the mean batch size).</summary>
    public long BatchedRows => Interlocked.Read(ref batchedRows);

    public int LargestBatch => Volatile.Read(ref largestBatch);

    /// <summary>Streams the generated tokens and their text; the last update carries the summary.</summary>
    public async IAsyncEnumerable<GenerationUpdate> StreamAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Validate(request);
        var sequence = new ActiveSequence(request);
        if (options.WhenQueueFull == QueueFullMode.Reject)
        {
            if (!queue.Writer.TryWrite(sequence))
            {
                throw stopping.IsCancellationRequested
                    ? ShuttingDown()
                    : new InferenceException(InferenceError.QueueFull,
                        $"The inference queue is full ({options.QueueCapacity} waiting requests); retry later or raise Inference:QueueCapacity.");
            }
        }
        else
        {
            try
            {
                await queue.Writer.WriteAsync(sequence, cancellationToken);
            }
            catch (ChannelClosedException)
            {
                throw ShuttingDown();
            }
        }

        try
        {
            await foreach (var update in sequence.Output.ReadAllAsync(cancellationToken))
            {
                yield return update;
            }
        }
        finally
        {
            sequence.Cancel(); // no-op after a normal finish; otherwise the worker drops it at the next step
        }
    }

    /// <summary>Runs a request to the end.</summary>
    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var tokens = new List<int>();
        var text = new StringBuilder();
        GenerationSummary? summary = null;
        await foreach (var update in StreamAsync(request, cancellationToken))
        {
            if (update.TokenId is { } id) tokens.Add(id);
            text.Append(update.Text);
            summary = update.Summary ?? summary;
        }

        return new GenerationResult(tokens, text.ToString(), summary!);
    }

    public void Dispose()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        queue.Writer.TryComplete();
        stopping.Cancel();
        thread.Join();
        stopping.Dispose();
    }

    private void Validate(GenerationRequest request)
    {
        request.Sampling.Validate();
        var prompt = request.PromptTokens;
        if (prompt.Count == 0)
        {
            throw new InferenceException(InferenceError.InvalidRequest, "The prompt is empty; send at least one token.");
        }

        if (prompt.Count >= host.ContextLength)
        {
            throw new InferenceException(InferenceError.PromptTooLong,
                $"The prompt has {prompt.Count} tokens but the model's context is {host.ContextLength} (one position must stay free to generate); shorten it.");
        }

        if (prompt.FirstOrDefault(t => (uint)t >= (uint)host.VocabularySize, -1) is var bad and >= 0)
        {
            throw new InferenceException(InferenceError.InvalidRequest, $"Token id {bad} is outside the model's vocabulary (0..{host.VocabularySize - 1}).");
        }

        if (request.Sampling.StopStrings.Count > 0 && tokenizer is null)
        {
            throw new InferenceException(InferenceError.InvalidRequest, "Stop strings need text, but this worker has no tokenizer; use StopTokenIds.");
        }

        if (request.Adapter is { } name)
        {
            adapters.Acquire(name).Release(); // fail fast with the list of loaded adapters
        }
    }

    private static InferenceException ShuttingDown() =>
        new(InferenceError.ShuttingDown, "The inference worker is shutting down; retry on another instance.");

    private void Run()
    {
        var active = new List<ActiveSequence>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (active.Count == 0 && !WaitForWork())
                {
                    break;
                }

                var joined = Admit(active.Count);
                Forward(joined);
                active.AddRange(joined);
                active.RemoveAll(s => s.IsFinished || DropIfCancelled(s));
                Forward(active);
                active.RemoveAll(s => s.IsFinished);
            }
        }
        finally
        {
            foreach (var sequence in active)
            {
                sequence.Fail(ShuttingDown(), keepSession: false);
            }

            while (queue.Reader.TryRead(out var waiting))
            {
                waiting.Fail(ShuttingDown(), keepSession: false);
            }
        }
    }

    private bool WaitForWork()
    {
        try
        {
            return queue.Reader.WaitToReadAsync(stopping.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private List<ActiveSequence> Admit(int activeCount)
    {
        var joined = new List<ActiveSequence>();
        while (activeCount + joined.Count < options.MaxBatchSize && queue.Reader.TryRead(out var sequence))
        {
            if (DropIfCancelled(sequence))
            {
                continue;
            }

            try
            {
                sequence.Prepare(host, tokenizer, Sessions, adapters);
                joined.Add(sequence);
            }
            catch (Exception e) when (e is InferenceException or Onnx.OnnxRuntimeException)
            {
                sequence.Fail(e, keepSession: true);
            }
        }

        return joined;
    }

    private static bool DropIfCancelled(ActiveSequence sequence)
    {
        if (!sequence.IsCancelled)
        {
            return false;
        }

        // The consumer has left; the tokens fed so far are in the session's cache, so the session stays usable.
        sequence.Fail(null, keepSession: true);
        return true;
    }

    /// <summary>One forward pass per adapter over the sequences that have tokens to feed.</summary>
    private void Forward(List<ActiveSequence> sequences)
    {
        foreach (var group in sequences.Where(s => !s.IsFinished && s.Pending.Count > 0).GroupBy(s => s.Adapter))
        {
            var rows = group.ToArray();
            try
            {
                var logits = host.Forward(rows.Select(s => new ForwardRow(s.Cache, s.Pending)).ToArray(), group.Key?.RunOptions);
                Interlocked.Increment(ref steps);
                Interlocked.Add(ref batchedRows, rows.Length);
                if (rows.Length > largestBatch) Volatile.Write(ref largestBatch, rows.Length);
                for (var r = 0; r < rows.Length; r++)
                {
                    rows[r].Advance(logits[r]);
                }
            }
            catch (Exception e) when (e is InferenceException or Onnx.OnnxRuntimeException)
            {
                foreach (var sequence in rows)
                {
                    sequence.Fail(e, keepSession: false);
                }
            }
        }
    }
}
