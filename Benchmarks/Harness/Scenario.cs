using Granary.Hosting;

namespace Granary.Benchmarks.Harness;

/// <summary>
/// One benchmark: what it asks of the silo, the concurrency levels it runs at, and the operation each worker loops on.
/// Every point (scenario and concurrency level) gets a silo of its own.
/// </summary>
internal abstract class Scenario
{
    public abstract string Name { get; }

    /// <summary>One line for the README and the results file.</summary>
    public abstract string Measures { get; }

    public abstract IReadOnlyList<int> Concurrency { get; }

    /// <summary>Adds what the scenario needs, such as storage. <paramref name="dataFolder"/> is empty and is deleted after the point.</summary>
    public virtual void ConfigureSilo(ISiloBuilder silo, string dataFolder)
    {
    }

    /// <summary>The operation worker number <paramref name="worker"/> loops on. Called before the clock starts.</summary>
    public abstract Func<Task> CreateOperation(IGrainFactory grains, int worker);

    /// <summary>The figure this point should reach, printed next to the result; null when there is none.</summary>
    public virtual Target? TargetFor(int workers) => null;
}

/// <summary>A goal printed next to the result. The harness reports it; it does not fail the run.</summary>
internal sealed record Target(double MinOpsPerSecond, TimeSpan MaxP99)
{
    public bool IsMetBy(LoadResult result) =>
        result.OpsPerSecond >= MinOpsPerSecond && result.PercentileMicroseconds(0.99) < MaxP99.TotalMicroseconds;

    public override string ToString() => $">= {MinOpsPerSecond:N0}/s, p99 < {ResultTable.FormatMicroseconds(MaxP99.TotalMicroseconds)}";
}
