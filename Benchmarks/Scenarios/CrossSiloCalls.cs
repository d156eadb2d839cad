using Granary.Benchmarks.Grains;
using Granary.Benchmarks.Harness;

namespace Granary.Benchmarks.Scenarios;

/// <summary>The local-calls operation, but every call crosses from one silo to another over loopback TCP.</summary>
internal sealed class CrossSiloCalls : Scenario
{
    private SiloPair? _pair;

    public override string Name => "cross-silo-calls";

    public override string Measures =>
        "the local-calls operation sent from one silo to another in the same process over loopback TCP (the network " +
        "transport: framing, JSON arguments and results, one multiplexed connection); worker i calls its own grain (key i) on the second silo.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    /// <summary>The pair of silos is the scenario's own; the harness's single silo is not used.</summary>
    public override bool UsesSilo => false;

    public override async Task InitializeAsync(PointSetup point) => _pair = await SiloPair.StartAsync();

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var grain = _pair!.Remote.GetGrain<IBenchGrain>(worker);
        return grain.Increment;
    }

    /// <summary>Every call ran on the second silo: one activation per worker there, none on the first.</summary>
    public override Task<string?> VerifyAsync(LoadResult result)
    {
        var (caller, callee) = _pair!.ActivationCounts;
        if (caller != 0 || callee != result.Workers)
            throw new CheckFailedException($"expected {result.Workers} activations on the second silo and none on the first, found {callee} and {caller}");
        return Task.FromResult<string?>($"{callee} activations on the second silo, none on the first: every call crossed");
    }

    public override async ValueTask DisposePointAsync()
    {
        if (_pair is { } pair) await pair.DisposeAsync();
        _pair = null;
    }

    public override Target? TargetFor(int workers) =>
        workers >= 256 ? new Target(20_000, TimeSpan.FromMilliseconds(50)) : null;
}
