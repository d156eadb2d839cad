using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Granary.Messaging;

/// <summary>
/// Fails calls whose answer has not come within <see cref="MessagingOptions.ResponseTimeout"/>. One periodic sweep
/// over the calls in flight, rather than a timer per call, keeps the cost of a call low.
/// </summary>
internal sealed class ResponseTimeouts : IDisposable
{
    private static readonly TimeSpan MaxSweepPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, GrainCall> _inFlight = new();
    private readonly TimeProvider _time;
    private readonly long _timeoutTicks;
    private readonly TimeSpan _timeout;
    private readonly ITimer _sweep;

    public ResponseTimeouts(IOptions<MessagingOptions> options, TimeProvider time)
    {
        _time = time;
        _timeout = options.Value.ResponseTimeout;
        _timeoutTicks = (long)(_timeout.TotalSeconds * time.TimestampFrequency);
        var period = TimeSpan.FromTicks(Math.Min(MaxSweepPeriod.Ticks, Math.Max(1, _timeout.Ticks / 4)));
        _sweep = time.CreateTimer(static state => ((ResponseTimeouts)state!).Sweep(), this, period, period);
    }

    public int Count => _inFlight.Count;

    public void Register(GrainCall call)
    {
        call.Deadline = _time.GetTimestamp() + _timeoutTicks;
        _inFlight[call.Id] = call;
    }

    public void Unregister(GrainCall call) => _inFlight.TryRemove(call.Id, out _);

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (_, call) in _inFlight)
        {
            if (call.Deadline <= now)
                call.Fail(new TimeoutException($"Response did not arrive on time in {_timeout} for {call}."));
        }
    }

    public void Dispose() => _sweep.Dispose();
}
