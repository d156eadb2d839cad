using AdWallet.Benchmarks.Grains;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>Durable state writes on the SQLite provider: each acknowledged write is on disk.</summary>
internal sealed class SqliteWrites : Scenario
{
    public override string Name => "sqlite-writes";

    public override string Measures =>
        "worker i calls its own grain, which changes its IPersistentState and awaits WriteStateAsync on the platform's SQLite storage (AddSqliteStorage as UsePlatformSilo registers it, " +
        "(synchronous=FULL, a fresh database in a temporary folder per point): durable writes per second.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var grain = grains.GetGrain<IStateGrain>(worker);
        return grain.Write;
    }
}
