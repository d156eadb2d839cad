using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Campaigns;

/// <summary>
/// Start and end times, honoured by durable reminders. Orleans reminders are periodic: each is registered to fire
/// at its moment, repeats (a retry) every <see cref="RetryPeriod"/> until its handler has done its work, and is then
/// unregistered. Handlers are idempotent: a reminder fires at least once.
/// </summary>
public sealed partial class CampaignGrain
{
    private const string StartReminder = "start";
    private const string EndReminder = "end";

    private static readonly TimeSpan MinimumRetryPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The period of every campaign reminder: a minute, or the shortest period reminders allow if longer.</summary>
    private TimeSpan RetryPeriod => reminderOptions.Value.AtLeastMinimum(MinimumRetryPeriod);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!State.Exists)
        {
            await ForgetReminderAsync(reminderName);
            return;
        }
        switch (reminderName)
        {
            case StartReminder:
                await OnStartReminderAsync();
                break;
            case EndReminder:
                await OnEndReminderAsync();
                break;
            case SettleReminder:
                await OnSettleReminderAsync();
                break;
            default:
                logger.LogWarning("Campaign {CampaignId} has no use for reminder {Reminder}; it is removed", Id, reminderName);
                await ForgetReminderAsync(reminderName);
                break;
        }
    }

    private async Task OnStartReminderAsync()
    {
        CatchUp();
        await Commit();
        if (State.Phase == CampaignStatuses.Scheduled)
        {
            // Fired before its moment: wait for it.
            await ScheduleAtAsync(StartReminder, State.StartsAt!.Value);
            return;
        }
        await ForgetReminderAsync(StartReminder);
        if (State.IsEnded) await EndedAsync();
    }

    private async Task OnEndReminderAsync()
    {
        CatchUp();
        await Commit();
        if (State.IsEnded)
        {
            await ForgetReminderAsync(EndReminder);
            await EndedAsync();
        }
        else if (State.EndsAt is { } endsAt)
        {
            // The end time was moved later after this reminder was set.
            await ScheduleAtAsync(EndReminder, endsAt);
        }
    }

    private async Task OnSettleReminderAsync()
    {
        await SettleQuietlyAsync();
        if (State.IsEnded)
            await RetireAsync();
        else
            await UnscheduleSettleIfDoneAsync();
    }

    /// <summary>What follows the end of a campaign: it settles, and its reminders go.</summary>
    private async Task EndedAsync()
    {
        await SettleQuietlyAsync();
        await RetireAsync();
    }

    /// <summary>Registers, on activation, the reminders the state calls for that a crash may have left unregistered.</summary>
    private async Task RestoreRemindersAsync()
    {
        var registered = (await this.GetReminders()).Select(r => r.ReminderName).ToHashSet();
        _settleReminderRegistered = registered.Contains(SettleReminder);
        if (State.Phase == CampaignStatuses.Scheduled && !registered.Contains(StartReminder))
            await ScheduleAtAsync(StartReminder, State.StartsAt!.Value);
        if (!State.IsEnded && State.EndsAt is { } endsAt && !registered.Contains(EndReminder))
            await ScheduleAtAsync(EndReminder, endsAt);
        await EnsureSettleReminderAsync();
    }

    private Task ScheduleAtAsync(string reminderName, DateTimeOffset at)
    {
        var due = at - Now;
        return this.RegisterOrUpdateReminder(reminderName, due > TimeSpan.Zero ? due : TimeSpan.Zero, RetryPeriod);
    }

    private async Task ForgetReminderAsync(string reminderName)
    {
        if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
