using AdWallet.Benchmarks.Grains;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>Calls inside one silo, each worker to a grain of its own: the cost of the call path itself.</summary>
internal sealed class LocalCalls : Scenario
{
    public override string Name => "local-calls";

    public override string Measures =>
        "grain calls inside the co-hosted Orleans silo, through IGrainFactory; worker i calls its own grain (key i), a method that increments a field and returns Task<int>.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 64, 256];

    public override string? Notes =>
        "For comparison, the same scenario on the retired in-house runtime (quoted from `Benchmarks/results/runtime-latest.md` as " +
        "committed in f96e37c, 2026-11-21, same 2-core machine, also contended: machine CPU 98-100 % during its points; it had no 64-worker point): " +
        "x1 2,161,661 calls/s, p50 302 ns, p99 876 ns; x16 1,914,270 calls/s, p50 5.5 µs, p99 9.4 µs; " +
        "x256 812,919 calls/s, p50 114.2 µs, p99 5.21 ms. Ratios Orleans / old runtime are in the README's summary.";

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var grain = grains.GetGrain<IBenchGrain>(worker);
        return grain.Increment;
    }

    /// <summary>The target of the move to Orleans: 500,000 calls/s with p99 under 1 ms at 64 callers.</summary>
    public override Target? TargetFor(int workers) =>
        workers == 64 ? new Target(500_000, TimeSpan.FromMilliseconds(1)) : null;
}
