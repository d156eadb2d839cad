using Granary.Tests.Grains;

namespace Granary.Tests;

public sealed class ActivationTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task A_grain_is_activated_on_its_first_call_and_only_once()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ILifecycleGrain>("a");
        Assert.Equal(0, _probe.Count("activate:a"));

        Assert.Equal("pong from lifecycle/a", await grain.Ping());
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => grain.Ping()));

        Assert.Equal(1, _probe.Count("activate:a"));
        Assert.Equal(1, cluster.Primary.ActivationCount);
    }

    [Fact]
    public async Task An_idle_activation_is_collected_after_the_collection_age()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ILifecycleGrain>("idle");
        await grain.Ping();

        cluster.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, _probe.Count("deactivate:idle:ActivationIdle"));

        cluster.Clock.Advance(TimeSpan.FromMinutes(2));
        await _probe.WaitAsync("deactivate:idle:ActivationIdle");

        await grain.Ping();
        Assert.Equal(2, _probe.Count("activate:idle"));
    }

    [Fact]
    public async Task A_busy_grain_is_not_collected()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var busy = cluster.GrainFactory.GetGrain<ILifecycleGrain>("busy");
        var idle = cluster.GrainFactory.GetGrain<ILifecycleGrain>("quiet");
        await idle.Ping();
        for (var minute = 0; minute < 20; minute++)
        {
            await busy.Ping();
            cluster.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await _probe.WaitAsync("deactivate:quiet:ActivationIdle");
        Assert.Equal(0, _probe.Count("deactivate:busy:ActivationIdle"));
    }

    [Fact]
    public async Task The_collection_age_comes_from_configuration()
    {
        await using var cluster = await Clusters.StartAsync(_probe, b => b
            .Configure("GrainCollection:CollectionAge", "00:02:00")
            .Configure("GrainCollection:CollectionQuantum", "00:00:30"));
        await cluster.GrainFactory.GetGrain<ILifecycleGrain>("short").Ping();

        cluster.Clock.Advance(TimeSpan.FromMinutes(3));

        await _probe.WaitAsync("deactivate:short:ActivationIdle");
    }

    [Fact]
    public async Task DeactivateOnIdle_deactivates_after_the_call_and_the_next_call_activates_again()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ILifecycleGrain>("leaving");

        await grain.DeactivateWhenDone();
        await _probe.WaitAsync("deactivate:leaving:ApplicationRequested");

        Assert.Equal("pong from lifecycle/leaving", await grain.Ping());
        Assert.Equal(2, _probe.Count("activate:leaving"));
    }

    [Fact]
    public async Task A_failed_activation_fails_the_call_and_the_next_call_tries_again()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IFailingActivationGrain>("x");

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => grain.Ping());
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("The database is not reachable.", error.Message);

        _probe.Open("activation-allowed");
        Assert.Equal("activated", await grain.Ping());
        Assert.Equal(2, _probe.Count("activation-attempt"));
    }

    [Fact]
    public async Task A_graceful_stop_deactivates_every_activation()
    {
        var cluster = await Clusters.StartAsync(_probe);
        await cluster.GrainFactory.GetGrain<ILifecycleGrain>("one").Ping();
        await cluster.GrainFactory.GetGrain<ILifecycleGrain>("two").Ping();

        await cluster.DisposeAsync();

        Assert.Equal(1, _probe.Count("deactivate:one:ShuttingDown"));
        Assert.Equal(1, _probe.Count("deactivate:two:ShuttingDown"));
    }

    [Fact]
    public async Task Keys_of_every_kind_round_trip()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var guid = Guid.NewGuid();

        Assert.Equal(guid, await cluster.GrainFactory.GetGrain<IGuidKeyGrain>(guid).GetKey());
        Assert.Equal(-42L, await cluster.GrainFactory.GetGrain<ILongKeyGrain>(-42).GetKey());
        Assert.Equal(long.MaxValue, await cluster.GrainFactory.GetGrain<ILongKeyGrain>(long.MaxValue).GetKey());
    }

    [Fact]
    public async Task ValueTask_methods_work_both_ways()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IValueTaskGrain>("v");

        Assert.Equal(42, await grain.Double(21));
        await grain.Touch();
        await grain.Touch();
        Assert.Equal(2, await grain.Touches());
    }

    [Fact]
    public async Task References_are_values()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var a = cluster.GrainFactory.GetGrain<ICounterGrain>("same");
        var b = cluster.GrainFactory.GetGrain<ICounterGrain>("same");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, cluster.GrainFactory.GetGrain<ICounterGrain>("other"));
        Assert.Equal(new GrainId("counter", "same"), a.GetGrainId());
    }
}
