using Granary.Benchmarks.Grains;
using Granary.Benchmarks.Harness;
using Granary.Hosting;

namespace Granary.Benchmarks.Scenarios;

/// <summary>Durable state writes on the SQLite provider: each acknowledged write is on disk.</summary>
internal sealed class SqliteWrites : Scenario
{
    public override string Name => "sqlite-writes";

    public override string Measures =>
        "worker i calls its own grain, which changes its IPersistentState and awaits WriteStateAsync on SQLite storage " +
        "(synchronous=FULL, a fresh database in a temporary folder per point): durable writes per second.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    public override void ConfigureSilo(ISiloBuilder silo, string dataFolder)
    {
        silo.Configuration["Data:Path"] = dataFolder;
        silo.Configuration["Data:Synchronous"] = "Full";
        silo.AddSqliteGrainStorage();
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var grain = grains.GetGrain<IStateGrain>(worker);
        return grain.Write;
    }
}
