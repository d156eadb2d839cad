
using Orleans.Hosting;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// One benchmark: what it asks of the silo, the concurrency levels it runs at, and the operation each worker loops on.
/// Every point (scenario and concurrency level) gets a silo of its own.
/// </summary>
/// <remarks>
/// A point runs <see cref="ConfigureSilo"/>, <see cref="InitializeAsync"/>, <see cref="CreateOperation"/> for each
/// worker, the load, <see cref="VerifyAsync"/> and <see cref="DisposePointAsync"/>, in that order. A scenario that
/// keeps state for its point (the wallet it charges, a count of acknowledged calls) replaces it in
/// <see cref="InitializeAsync"/>.
/// </remarks>
internal abstract class Scenario
{
    public abstract string Name { get; }

    /// <summary>One line for the README and the results file.</summary>
    public abstract string Measures { get; }

    public abstract IReadOnlyList<int> Concurrency { get; }

    /// <summary>A paragraph for the results file under the table (figures to read these against), or null.</summary>
    public virtual string? Notes => null;

    /// <summary>False for a baseline that does not use the silo: its point gets a data folder and no silo at all.</summary>
    public virtual bool UsesSilo => true;

    /// <summary>The scenarios this one is compared with in the same run, each with the ratio it should reach (0: none).</summary>
    public virtual IReadOnlyList<Baseline> Baselines => [];

    /// <summary>
    /// Prepares what the point's silo needs before it starts (a scratch PostgreSQL database) and adds configuration for
    /// it (such as <c>Cluster:Mode</c>); the returned object is disposed after the silo has stopped. Null when none.
    /// </summary>
    public virtual Task<IAsyncDisposable?> BeforeSiloAsync(IDictionary<string, string?> siloConfiguration) =>
        Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>Adds what the scenario needs, such as storage. <paramref name="dataFolder"/> is empty and is deleted after the point.</summary>
    public virtual void ConfigureSilo(ISiloBuilder silo, string dataFolder)
    {
    }

    /// <summary>Prepares the point before the clock starts, such as the wallet the workers charge or a baseline's database.</summary>
    public virtual Task InitializeAsync(PointSetup point) => Task.CompletedTask;

    /// <summary>The operation worker number <paramref name="worker"/> loops on. Called before the clock starts.</summary>
    public abstract Func<Task> CreateOperation(IGrainFactory grains, int worker);

    /// <summary>
    /// Checks what the point left behind, once every worker has stopped: returns a line for the results (null when it
    /// checks nothing), or throws <see cref="CheckFailedException"/>, which fails the point.
    /// </summary>
    public virtual Task<string?> VerifyAsync(LoadResult result) => Task.FromResult<string?>(null);

    /// <summary>Releases what <see cref="InitializeAsync"/> opened, before the data folder is deleted; also after a failed point.</summary>
    public virtual ValueTask DisposePointAsync() => ValueTask.CompletedTask;

    /// <summary>The figure this point should reach, printed next to the result; null when there is none.</summary>
    public virtual Target? TargetFor(int workers) => null;
}

/// <summary>A point as its scenario prepares it. <see cref="Grains"/> throws for a scenario that runs without a silo.</summary>
internal sealed record PointSetup(IGrainFactory Grains, string DataFolder, int Workers, TimeSpan Warmup, TimeSpan Duration);

/// <summary>A goal printed next to the result. The harness reports it; it does not fail the run.</summary>
internal sealed record Target(double MinOpsPerSecond, TimeSpan MaxP99)
{
    public bool IsMetBy(LoadResult result) =>
        result.OpsPerSecond >= MinOpsPerSecond && result.PercentileMicroseconds(0.99) < MaxP99.TotalMicroseconds;

    public override string ToString() => $">= {MinOpsPerSecond:N0}/s, p99 < {ResultTable.FormatMicroseconds(MaxP99.TotalMicroseconds)}";
}

/// <summary>
/// A baseline measured in the same run: at each concurrency level both ran at, the results show this scenario's ops/s
/// divided by the baseline's, against <see cref="MinRatio"/> (none when it is 0). Reported, never failed on.
/// </summary>
internal sealed record Baseline(string ScenarioName, double MinRatio);

/// <summary>What a point left behind is wrong (money lost or doubled, a ledger that does not add up): the point fails.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);
