namespace SupportSlm.Training.Kernels;

/// <summary>How many threads the trainer's kernels may use (default: all cores). Benchmarks pin it to compare fairly.</summary>
public static class Parallelism
{
    private static ParallelOptions _options = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    public static int MaxThreads
    {
        get => _options.MaxDegreeOfParallelism;
        set => _options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, value) };
    }

    public static void For(int fromInclusive, int toExclusive, Action<int> body)
    {
        if (_options.MaxDegreeOfParallelism == 1 || toExclusive - fromInclusive <= 1)
        {
            for (int i = fromInclusive; i < toExclusive; i++) body(i);
            return;
        }
        Parallel.For(fromInclusive, toExclusive, _options, body);
    }
}
