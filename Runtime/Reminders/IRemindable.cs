namespace Granary;

/// <summary>Implemented by grains that register reminders.</summary>
public interface IRemindable : IGrain
{
    /// <summary>
    /// Called when a reminder fires. Reminders fire at least once per tick, so handlers must be idempotent; a tick
    /// missed while no silo ran is delivered once when the reminder is next loaded.
    /// </summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>The schedule of a reminder and the tick now firing.</summary>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

/// <summary>A handle on a registered reminder.</summary>
public interface IGrainReminder
{
    string ReminderName { get; }
}
