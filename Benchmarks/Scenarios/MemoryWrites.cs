using Granary.Benchmarks.Grains;
using Granary.Benchmarks.Harness;
using Granary.Hosting;

namespace Granary.Benchmarks.Scenarios;

/// <summary>State writes to in-memory storage: everything a persisted write costs except the database.</summary>
internal sealed class MemoryWrites : Scenario
{
    public override string Name => "memory-writes";

    public override string Measures =>
        "worker i calls its own grain, which changes its IPersistentState and awaits WriteStateAsync on in-memory storage: " +
        "the ceiling for persisted writes (state serialization, ETag check, no I/O).";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    public override void ConfigureSilo(ISiloBuilder silo, string dataFolder) => silo.AddMemoryGrainStorage();

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var grain = grains.GetGrain<IStateGrain>(worker);
        return grain.Write;
    }
}
