namespace Granary.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey, IRemindable
{
    Task Start(string name, TimeSpan dueTime, TimeSpan period);

    Task Stop(string name);

    Task<string[]> Registered();
}

/// <summary>Signals <c>reminder:key:name</c> on every tick, and <c>reminder-on:silo:key:name</c> naming the silo it ran on.</summary>
public sealed class ReminderGrain(Probe probe, Granary.Hosting.ILocalSiloDetails silo) : Grain, IReminderGrain
{
    public Task Start(string name, TimeSpan dueTime, TimeSpan period) => RegisterOrUpdateReminder(name, dueTime, period);

    public async Task Stop(string name)
    {
        if (await GetReminder(name) is { } reminder) await UnregisterReminder(reminder);
    }

    public async Task<string[]> Registered() => [.. (await GetReminders()).Select(r => r.ReminderName).Order()];

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.Signal($"reminder:{this.GetPrimaryKeyString()}:{reminderName}");
        probe.Signal($"reminder-on:{silo.SiloId}:{this.GetPrimaryKeyString()}:{reminderName}");
        return Task.CompletedTask;
    }
}
