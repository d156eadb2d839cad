using System.Collections.Concurrent;
using Granary.Reminders;

namespace Granary.TestingHost;

/// <summary>Lets a test await the handling of reminder ticks instead of polling: <c>await probe.WaitAsync(grainId, "name", 2)</c>.</summary>
public sealed class ReminderTickProbe : IReminderTickListener
{
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<(GrainId, string), SignalCounter> _counters = new();

    public void OnTickHandled(GrainId grainId, string reminderName, TickStatus status, Exception? failure) =>
        Get(grainId, reminderName).Increment();

    public int Count(GrainId grainId, string reminderName) => Get(grainId, reminderName).Value;

    /// <summary>Completes once <paramref name="count"/> ticks of the reminder have been handled in all.</summary>
    public Task WaitAsync(GrainId grainId, string reminderName, int count) =>
        Get(grainId, reminderName).WhenAtLeast(count).WaitAsync(SafetyTimeout);

    private SignalCounter Get(GrainId grainId, string reminderName) => _counters.GetOrAdd((grainId, reminderName), _ => new SignalCounter());
}
