using Granary.Tests.Grains;

namespace Granary.Tests;

public sealed class ConcurrencyTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task Many_concurrent_callers_end_at_the_exact_count()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>("hot");
        const int Callers = 10_000;

        // Each increment reads, yields the thread and writes back: any interleaving would lose increments.
        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(() => grain.IncrementAcrossAwait())));

        Assert.Equal(Callers, await grain.Get());
        Assert.Equal(Enumerable.Range(1, Callers), results.Order());
    }

    [Fact]
    public async Task Requests_of_a_non_reentrant_grain_wait_for_the_running_one()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IGateGrain>("g");

        var first = grain.WaitAt("first");
        await _probe.WaitAsync("entered:first");
        var second = grain.Ping();

        // Peek interleaves, and its request is queued after the second call's: once it has answered, the second
        // call has reached the activation and, the grain being busy, must still be waiting.
        Assert.Equal("peeked", await grain.Peek());
        Assert.False(second.IsCompleted);
        _probe.Open("first");
        Assert.Equal("first", await first);
        Assert.Equal("pong", await second);
    }

    [Fact]
    public async Task An_always_interleave_method_runs_while_another_request_waits()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IGateGrain>("g");

        var waiting = grain.WaitAt("held");
        await _probe.WaitAsync("entered:held");

        Assert.Equal("peeked", await grain.Peek());
        Assert.False(waiting.IsCompleted);
        _probe.Open("held");
        await waiting;
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_requests_at_their_awaits()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IReentrantGateGrain>("r");

        var first = grain.WaitAt("one");
        var second = grain.WaitAt("two");
        await _probe.WaitAsync("entered:one");
        await _probe.WaitAsync("entered:two");

        _probe.Open("two");
        Assert.Equal("two", await second);
        Assert.False(first.IsCompleted);
        _probe.Open("one");
        Assert.Equal("one", await first);
    }

    [Fact]
    public async Task Different_grains_run_in_parallel()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var a = cluster.GrainFactory.GetGrain<IGateGrain>("a").WaitAt("a");
        var b = cluster.GrainFactory.GetGrain<IGateGrain>("b").WaitAt("b");

        await _probe.WaitAsync("entered:a");
        await _probe.WaitAsync("entered:b");
        _probe.Open("a");
        _probe.Open("b");
        await Task.WhenAll(a, b);
    }
}
