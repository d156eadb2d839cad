using Granary.Tests.Grains;

namespace Granary.Tests;

public sealed class TimerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly Probe _probe = new();

    [Fact]
    public async Task A_timer_ticks_at_its_due_time_and_then_every_period()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ITimerGrain>("t");
        await grain.Start(dueTime: 10 * Second, period: 5 * Second);

        cluster.Clock.Advance(10 * Second);
        await _probe.WaitAsync("tick:t", 1);
        Assert.Equal(1, await grain.Ticks());
        cluster.Clock.Advance(5 * Second);
        await _probe.WaitAsync("tick:t", 2);
        Assert.Equal(2, await grain.Ticks());
    }

    [Fact]
    public async Task A_timer_never_overlaps_itself()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ITimerGrain>("slow");
        await grain.Start(dueTime: Second, period: Second, gate: "slow-tick");

        cluster.Clock.Advance(Second);
        await _probe.WaitAsync("tick:slow", 1);
        // While the tick waits, time passes by many periods: the next tick is not scheduled until this one ends.
        cluster.Clock.Advance(10 * Second);
        Assert.Equal(1, _probe.Count("tick:slow"));

        _probe.Open("slow-tick");
        Assert.Equal(1, await grain.Ticks());
        cluster.Clock.Advance(Second);
        await _probe.WaitAsync("tick:slow", 2);
        Assert.Equal(1, await grain.MaxConcurrentTicks());
    }

    [Fact]
    public async Task Timers_stop_when_the_activation_is_deactivated()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ITimerGrain>("gone");
        var timersBefore = cluster.Clock.ActiveTimers;
        await grain.Start(dueTime: Second, period: Second);
        Assert.Equal(timersBefore + 1, cluster.Clock.ActiveTimers);

        await grain.Deactivate();
        await _probe.WaitAsync("deactivate:gone");

        Assert.Equal(timersBefore, cluster.Clock.ActiveTimers);
        cluster.Clock.Advance(10 * Second);
        Assert.Equal(0, _probe.Count("tick:gone"));
        Assert.Equal(0, await grain.Ticks());
    }

    [Fact]
    public async Task A_disposed_timer_stops()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<ITimerGrain>("stopped");
        await grain.Start(dueTime: Second, period: Second);
        cluster.Clock.Advance(Second);
        await _probe.WaitAsync("tick:stopped", 1);

        await grain.StopTimer();
        cluster.Clock.Advance(10 * Second);

        Assert.Equal(1, await grain.Ticks());
    }
}
