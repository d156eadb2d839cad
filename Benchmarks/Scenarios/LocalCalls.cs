using Granary.Benchmarks.Grains;
using Granary.Benchmarks.Harness;

namespace Granary.Benchmarks.Scenarios;

/// <summary>Calls inside one silo, each worker to a grain of its own: the cost of the call path itself.</summary>
internal sealed class LocalCalls : Scenario
{
    public override string Name => "local-calls";

    public override string Measures =>
        "grain calls inside the silo; worker i calls its own grain (key i), a method that increments a field and returns Task<int>.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var grain = grains.GetGrain<IBenchGrain>(worker);
        return grain.Increment;
    }

    public override Target? TargetFor(int workers) =>
        workers >= 256 ? new Target(300_000, TimeSpan.FromMilliseconds(1)) : null;
}
