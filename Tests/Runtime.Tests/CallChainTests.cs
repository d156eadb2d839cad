using Granary.Tests.Grains;

namespace Granary.Tests;

public sealed class CallChainTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task Grains_call_grains()
    {
        await using var cluster = await Clusters.StartAsync(_probe);

        Assert.Equal("a>b>c>d", await cluster.GrainFactory.GetGrain<ICycleGrain>("a").Relay(["b", "c", "d"]));
    }

    [Fact]
    public async Task A_call_cycle_fails_at_once_instead_of_hanging()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var a = cluster.GrainFactory.GetGrain<ICycleGrain>("a");

        // a -> b -> a: a waits for b, so b's call into a could never run. No clock moves here: the refusal is immediate.
        var error = await Assert.ThrowsAsync<DeadlockException>(() => a.Relay(["b", "a"]));

        Assert.Contains("cycle/a -> cycle/b", error.Message);
        Assert.Equal("a>b", await a.Relay(["b"]));
    }

    [Fact]
    public async Task A_grain_calling_itself_fails_at_once()
    {
        await using var cluster = await Clusters.StartAsync(_probe);

        await Assert.ThrowsAsync<DeadlockException>(() => cluster.GrainFactory.GetGrain<ICycleGrain>("self").CallSelf());
    }

    [Fact]
    public async Task A_reentrant_grain_lets_its_call_chain_back_in()
    {
        await using var cluster = await Clusters.StartAsync(_probe);

        Assert.Equal("a>b>a>b", await cluster.GrainFactory.GetGrain<IReentrantCycleGrain>("a").Relay(["b", "a", "b"]));
    }

    [Fact]
    public async Task A_call_without_an_answer_times_out_after_the_response_timeout()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IGateGrain>("stuck");
        var call = grain.WaitAt("never");
        await _probe.WaitAsync("entered:never");

        cluster.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("IGateGrain.WaitAt on gate/stuck", error.Message);
        _probe.Open("never");
        Assert.Equal("pong", await grain.Ping());
    }

    [Fact]
    public async Task The_response_timeout_comes_from_configuration()
    {
        await using var cluster = await Clusters.StartAsync(_probe, b => b.Configure("Messaging:ResponseTimeout", "00:00:05"));
        var call = cluster.GrainFactory.GetGrain<IGateGrain>("stuck").WaitAt("closed");
        await _probe.WaitAsync("entered:closed");

        cluster.Clock.Advance(TimeSpan.FromSeconds(6));

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        _probe.Open("closed");
    }
}
