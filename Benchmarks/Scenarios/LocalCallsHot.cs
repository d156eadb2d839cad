using AdWallet.Benchmarks.Grains;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>Every worker calls the same grain: one activation runs one call at a time, so this is its ceiling.</summary>
internal sealed class LocalCallsHot : Scenario
{
    public override string Name => "local-calls-hot";

    public override string Measures =>
        "the same call, but every worker calls ONE grain: the throughput ceiling of a single activation, and its queueing delay.";

    public override IReadOnlyList<int> Concurrency => [16, 256];

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var grain = grains.GetGrain<IBenchGrain>(0);
        return grain.Increment;
    }
}
