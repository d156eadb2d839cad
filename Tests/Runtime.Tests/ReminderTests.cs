using Granary.Tests.Grains;

namespace Granary.Tests;

public sealed class ReminderTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Probe _probe = new();

    [Fact]
    public async Task A_reminder_fires_at_its_due_time_and_then_every_period()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        await cluster.GrainFactory.GetGrain<IReminderGrain>("r").Start("tick", dueTime: Minute, period: Minute);

        cluster.Clock.Advance(Minute);
        await _probe.WaitAsync("reminder:r:tick", 1);
        cluster.Clock.Advance(Minute);
        await _probe.WaitAsync("reminder:r:tick", 2);
        cluster.Clock.Advance(Minute);
        await _probe.WaitAsync("reminder:r:tick", 3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reminder_registered_before_a_restart_activates_its_grain_after_it(bool graceful)
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        await cluster.GrainFactory.GetGrain<IReminderGrain>("durable").Start("later", dueTime: TimeSpan.FromMinutes(10), period: Hour);

        await cluster.RestartSiloAsync(cluster.Primary, graceful);
        cluster.Clock.Advance(TimeSpan.FromMinutes(10));

        await _probe.WaitAsync("reminder:durable:later");
    }

    [Fact]
    public async Task A_tick_that_fell_due_while_no_silo_ran_fires_once_at_start()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        await cluster.GrainFactory.GetGrain<IReminderGrain>("missed").Start("due", dueTime: Minute, period: Hour);

        await cluster.KillSiloAsync(cluster.Primary);
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        await cluster.StartSiloAsync();

        await _probe.WaitAsync("reminder:missed:due");
        Assert.Equal(1, _probe.Count("reminder:missed:due"));
    }

    [Fact]
    public async Task An_unregistered_reminder_stops_firing()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IReminderGrain>("stopper");
        await grain.Start("stopped", dueTime: Minute, period: Minute);
        await grain.Start("sentinel", dueTime: 3 * Minute, period: Hour);
        Assert.Equal(["sentinel", "stopped"], await grain.Registered());

        cluster.Clock.Advance(Minute);
        await _probe.WaitAsync("reminder:stopper:stopped", 1);
        await grain.Stop("stopped");
        Assert.Equal(["sentinel"], await grain.Registered());

        // Ticks of one grain arrive in order: once the sentinel has fired, any tick of the stopped reminder due
        // before it would have fired too.
        cluster.Clock.Advance(2 * Minute);
        await _probe.WaitAsync("reminder:stopper:sentinel");
        Assert.Equal(1, _probe.Count("reminder:stopper:stopped"));
    }

    [Fact]
    public async Task Updating_a_reminder_moves_its_schedule()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IReminderGrain>("moved");
        await grain.Start("r", dueTime: Minute, period: Hour);
        await grain.Start("r", dueTime: 5 * Minute, period: Hour);
        await grain.Start("sentinel", dueTime: 4 * Minute, period: Hour);

        cluster.Clock.Advance(4 * Minute);
        await _probe.WaitAsync("reminder:moved:sentinel");
        Assert.Equal(0, _probe.Count("reminder:moved:r"));

        cluster.Clock.Advance(Minute);
        await _probe.WaitAsync("reminder:moved:r");
    }

    [Fact]
    public async Task A_reminder_months_away_fires_when_its_time_comes()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        await cluster.GrainFactory.GetGrain<IReminderGrain>("far").Start("quarterly", TimeSpan.FromDays(90), TimeSpan.FromDays(90));

        cluster.Clock.Advance(TimeSpan.FromDays(89));
        Assert.Equal(0, _probe.Count("reminder:far:quarterly"));
        cluster.Clock.Advance(TimeSpan.FromDays(1));

        await _probe.WaitAsync("reminder:far:quarterly");
    }

    [Fact]
    public async Task A_period_below_the_minimum_is_refused()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IReminderGrain>("fast");

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Start("r", Minute, TimeSpan.FromSeconds(10)));
        Assert.Contains("Reminders:MinimumPeriod", error.Message);
        Assert.Empty(await grain.Registered());
    }

    [Fact]
    public async Task The_minimum_period_comes_from_configuration()
    {
        await using var cluster = await Clusters.StartAsync(_probe, b => b.Configure("Reminders:MinimumPeriod", "00:00:05"));
        await cluster.GrainFactory.GetGrain<IReminderGrain>("quick").Start("r", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

        cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        await _probe.WaitAsync("reminder:quick:r", 1);
        cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        await _probe.WaitAsync("reminder:quick:r", 2);
    }
}
