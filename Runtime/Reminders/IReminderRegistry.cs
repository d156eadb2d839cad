namespace Granary.Reminders;

/// <summary>What grains see of the reminder service.</summary>
internal interface IReminderRegistry
{
    Task<IGrainReminder> RegisterOrUpdateReminder(GrainId grainId, string reminderName, TimeSpan dueTime, TimeSpan period);

    Task UnregisterReminder(GrainId grainId, IGrainReminder reminder);

    Task<IGrainReminder?> GetReminder(GrainId grainId, string reminderName);

    Task<IReadOnlyList<IGrainReminder>> GetReminders(GrainId grainId);
}

internal sealed record GrainReminder(string ReminderName, DateTimeOffset StartAt, TimeSpan Period) : IGrainReminder
{
    public static GrainReminder From(ReminderEntry entry) => new(entry.ReminderName, entry.StartAt, entry.Period);
}

/// <summary>Stands in when the silo has no reminder table, and says how to add one.</summary>
internal sealed class NoReminderService : IReminderRegistry
{
    private static InvalidOperationException NotConfigured() =>
        new("This silo has no reminder service. Add one with UseInMemoryReminderService or UseSqliteReminderService.");

    public Task<IGrainReminder> RegisterOrUpdateReminder(GrainId grainId, string reminderName, TimeSpan dueTime, TimeSpan period) => throw NotConfigured();

    public Task UnregisterReminder(GrainId grainId, IGrainReminder reminder) => throw NotConfigured();

    public Task<IGrainReminder?> GetReminder(GrainId grainId, string reminderName) => throw NotConfigured();

    public Task<IReadOnlyList<IGrainReminder>> GetReminders(GrainId grainId) => throw NotConfigured();
}
