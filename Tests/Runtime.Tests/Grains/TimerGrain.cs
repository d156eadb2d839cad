using Granary.Timers;

namespace Granary.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    /// <summary>Starts a timer whose tick signals <c>tick:key</c> and, if <paramref name="gate"/> is given, waits for it.</summary>
    Task Start(TimeSpan dueTime, TimeSpan period, string? gate = null);

    Task StopTimer();

    Task Deactivate();

    Task<int> Ticks();

    Task<int> MaxConcurrentTicks();
}

public sealed class TimerGrain(Probe probe) : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;
    private int _running;
    private int _maxRunning;

    public Task Start(TimeSpan dueTime, TimeSpan period, string? gate = null)
    {
        _timer = RegisterGrainTimer(async _ =>
        {
            _running++;
            _maxRunning = Math.Max(_maxRunning, _running);
            _ticks++;
            probe.Signal($"tick:{this.GetPrimaryKeyString()}");
            if (gate is not null) await probe.Gate(gate);
            _running--;
        }, dueTime, period);
        return Task.CompletedTask;
    }

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Signal($"deactivate:{this.GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);

    public Task<int> MaxConcurrentTicks() => Task.FromResult(_maxRunning);
}
