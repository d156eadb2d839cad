namespace Granary.Reminders;

/// <summary>Told when a reminder tick has been handled, for tests and diagnostics. Register any number as singletons.</summary>
public interface IReminderTickListener
{
    void OnTickHandled(GrainId grainId, string reminderName, TickStatus status, Exception? failure);
}
