using System.Diagnostics;

namespace AdWallet.Benchmarks.Harness;

/// <summary>What one load point measured.</summary>
/// <param name="MachineCpuUsage">Share of all cores busy with anything (Linux only): well above <see cref="CpuUsage"/> means other load.</param>
/// <param name="StarvedWorkers">
/// Workers that completed no call started in the measured seconds: their call was stuck the whole time. Latencies
/// cannot show them (such a call started before the clock), so a closed loop with starved workers runs at lower
/// concurrency than it says.
/// </param>
internal sealed record LoadResult(
    int Workers,
    long Operations,
    TimeSpan Elapsed,
    LatencyHistogram Latency,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan GcPause,
    TimeSpan CpuTime,
    double? MachineCpuUsage,
    int StarvedWorkers)
{
    public double OpsPerSecond => Operations / Elapsed.TotalSeconds;

    public double AllocatedBytesPerOp => Operations == 0 ? 0 : (double)AllocatedBytes / Operations;

    /// <summary>Process CPU time per operation, in microseconds: steadier than ops/s when other processes take cores.</summary>
    public double CpuMicrosecondsPerOp => Operations == 0 ? 0 : CpuTime.TotalMicroseconds / Operations;

    /// <summary>Share of all cores this process used while measuring.</summary>
    public double CpuUsage => CpuTime / (Elapsed * Environment.ProcessorCount);

    /// <summary>The latency at quantile <paramref name="q"/> (0..1), in microseconds.</summary>
    public double PercentileMicroseconds(double q) => Microseconds(Latency.Percentile(q));

    public double MaxMicroseconds => Microseconds(Latency.Max);

    private static double Microseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;
}

/// <summary>
/// Closed-loop load: N workers, each awaiting one operation at a time for a fixed time. Operations that start during
/// the warm-up are not counted; the GC and CPU counters are read when the measurement starts and after the last
/// worker stops.
/// </summary>
internal static class LoadRunner
{
    /// <summary>How long after the end a worker may still wait for its call before the point fails. Longer than the response timeout.</summary>
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(60);

    public static async Task<LoadResult> RunAsync(int workers, Func<int, Func<Task>> operationFor, TimeSpan warmup, TimeSpan duration)
    {
        var histograms = new LatencyHistogram[workers];
        var operations = new Func<Task>[workers];
        for (var i = 0; i < workers; i++)
        {
            histograms[i] = new LatencyHistogram();
            operations[i] = operationFor(i);
        }

        var measureFrom = Stopwatch.GetTimestamp() + ToStopwatchTicks(warmup);
        var measureUntil = measureFrom + ToStopwatchTicks(duration);
        var tasks = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            var operation = operations[i];
            var histogram = histograms[i];
            tasks[i] = Task.Run(() => WorkAsync(operation, histogram, measureFrom, measureUntil));
        }

        // A thread of its own reads the counters on time, whatever the load does to the thread pool.
        var before = await Task.Factory.StartNew(() => Counters.TakeAt(measureFrom), TaskCreationOptions.LongRunning);
        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(duration + StuckAfter)) != all)
        {
            throw new TimeoutException(
                $"{tasks.Count(t => !t.IsCompleted)} of {workers} workers still wait for a call {StuckAfter.TotalSeconds:0} s " +
                "after the end: a call was lost or is stuck.");
        }
        await all;
        var after = Counters.Take();

        var latency = new LatencyHistogram();
        foreach (var histogram in histograms) latency.Add(histogram);
        return new LoadResult(
            workers,
            latency.Count,
            Stopwatch.GetElapsedTime(measureFrom, after.Timestamp),
            latency,
            after.AllocatedBytes - before.AllocatedBytes,
            after.Gen0 - before.Gen0,
            after.Gen1 - before.Gen1,
            after.Gen2 - before.Gen2,
            after.GcPause - before.GcPause,
            after.CpuTime - before.CpuTime,
            after.Machine.BusyShareSince(before.Machine),
            histograms.Count(h => h.Count == 0));
    }

    private static async Task WorkAsync(Func<Task> operation, LatencyHistogram histogram, long measureFrom, long measureUntil)
    {
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            if (start >= measureUntil) return;
            await operation();
            var end = Stopwatch.GetTimestamp();
            if (start >= measureFrom) histogram.Record(end - start);
        }
    }

    private static long ToStopwatchTicks(TimeSpan time) => (long)(time.TotalSeconds * Stopwatch.Frequency);

    private readonly record struct Counters(
        long Timestamp, long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan GcPause, TimeSpan CpuTime, MachineCpu Machine)
    {
        public static Counters TakeAt(long timestamp)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            return Take();
        }

        public static Counters Take() => new(
            Stopwatch.GetTimestamp(),
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration(),
            Environment.CpuUsage.TotalTime,
            MachineCpu.Read());
    }

    /// <summary>Busy and total CPU time of the whole machine from /proc/stat, in clock ticks; zero where there is none.</summary>
    private readonly record struct MachineCpu(long Busy, long Total)
    {
        public static MachineCpu Read()
        {
            try
            {
                // cpu  user nice system idle iowait irq softirq steal ...
                var fields = File.ReadLines("/proc/stat").First()
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
                var total = fields.Take(8).Sum();
                return new MachineCpu(total - fields[3] - fields[4], total);
            }
            catch (Exception exception)
                when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return default;
            }
        }

        public double? BusyShareSince(MachineCpu before) =>
            Total > before.Total && before.Total > 0 ? (double)(Busy - before.Busy) / (Total - before.Total) : null;
    }
}
