namespace AdWallet.Simulation.Tests;

/// <summary>
/// The simulation with fixed seeds, as CI runs it. A seed that once broke an invariant stays here once its bug is fixed.
/// </summary>
public sealed class SimulationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Money_invariants_hold_under_random_workload_and_faults(int seed)
    {
        var report = await SimulationRun.RunAsync(seed, new SimulationSettings(Steps: 60, MaxOperationsPerStep: 48));
        Assert.True(report.Operations > 0);
    }

    /// <summary>
    /// Seeds that broke an invariant once, run as they were run then (the interleaving may differ; the bug each found is
    /// pinned down deterministically in <see cref="RegressionTests"/>).
    /// </summary>
    [Theory]
    [InlineData(650747374)] // a settlement retried from memory after its write failed: spend lost
    public async Task Seeds_that_found_bugs_pass(int seed)
    {
        var report = await SimulationRun.RunAsync(seed, new SimulationSettings(Steps: 200, MaxOperationsPerStep: 64));
        Assert.True(report.Operations > 0);
    }

    /// <summary>The same world on the cluster providers (PostgreSQL), shorter.</summary>
    [Theory]
    [InlineData(101)]
    public async Task Money_invariants_hold_on_PostgreSQL_too(int seed)
    {
        var report = await SimulationRun.RunAsync(seed, new SimulationSettings(Steps: 30, MaxOperationsPerStep: 32, Storage: SimulationStorage.Postgres));
        Assert.True(report.Operations > 0);
    }
}
