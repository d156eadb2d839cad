using AdWallet.Grains.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Campaigns;

/// <summary>
/// Settlement: spend accrues here and is taken by the wallet in batches, one settlement at a time. Each is stored as
/// <see cref="SettlementStarted"/> (a sequence and an amount) before the wallet is asked, and completed after; one left
/// incomplete by a crash or a failure is retried first, with the same sequence and amount, and the wallet takes a
/// sequence once. So spend is never lost and never taken twice.
/// </summary>
/// <remarks>
/// An active campaign settles every <see cref="BillingOptions.SettlementInterval"/> (a grain timer), at once when the
/// unclaimed spend reaches <see cref="BillingOptions.SettlementThreshold"/> or the campaign ends, and when it is
/// deactivated. A durable reminder is registered while any spend is unsettled, so a campaign that crashed or was
/// collected with spend left is woken up to settle it.
/// </remarks>
public sealed partial class CampaignGrain
{
    private const string SettleReminder = "settle";

    private readonly SemaphoreSlim _settleReminderGate = new(1, 1);
    private bool _settleReminderRegistered;
    private Task _settlement = Task.CompletedTask;
    private IGrainTimer? _settlementTimer;
    private SettlementHooks? _hooks;

    /// <summary>An ended campaign with nothing left to settle: its reminders and timer are gone.</summary>
    private bool _retired;

    public async Task<long> SettleNow()
    {
        if (!State.Exists) return 0;
        try
        {
            // A settlement already running may have started before the latest spend: let it finish, then settle the rest.
            await _settlement;
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "The previous settlement of campaign {CampaignId} failed; it is retried now", Id);
        }
        await SettleAsync();
        return State.Unsettled;
    }

    /// <summary>Runs one settlement, or shares the one running.</summary>
    private Task SettleAsync() => _settlement.IsCompleted ? (_settlement = RunSettlementAsync()) : _settlement;

    private async Task RunSettlementAsync()
    {
        if (State.PendingSettlement is null)
        {
            var amount = State.Unclaimed;
            if (amount <= 0) return;
            Raise(new SettlementStarted(Now, State.LastSettlementSequence + 1, amount));
            await Commit();
        }

        var pending = State.PendingSettlement!;
        var settlement = new SpendSettlement(Id, State.AdAccountId, pending.Sequence, pending.Amount);
        var hooks = Hooks;
        if (hooks?.BeforeWalletCall is { } before) await before(settlement);
        await GrainFactory.GetGrain<IWalletGrain>(State.WalletId).SettleSpend(settlement);
        if (hooks?.AfterWalletCall is { } after) await after(settlement);

        Raise(new SettlementCompleted(Now, settlement.Sequence));
        await Commit();
    }

    /// <summary>
    /// Settles what has accrued, and again while what accrued meanwhile is still due: everything once the campaign has
    /// ended, otherwise what reaches the threshold. A failure is logged; the next settlement retries it.
    /// </summary>
    private async Task SettleQuietlyAsync()
    {
        try
        {
            do await SettleAsync();
            while (State.Unclaimed >= (State.IsEnded ? 1 : billingOptions.Value.SettlementThreshold));
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Settling campaign {CampaignId} failed; settlement {Sequence} is retried as it is",
                Id, State.PendingSettlement?.Sequence);
        }
    }

    private void StartSettlementTimer()
    {
        if (_settlementTimer is not null || _retired) return;
        var interval = billingOptions.Value.SettlementInterval;
        _settlementTimer = this.RegisterGrainTimer(OnSettlementTimerAsync, interval, interval);
    }

    private async Task OnSettlementTimerAsync(CancellationToken cancellationToken)
    {
        await SettleQuietlyAsync();
        if (State.IsEnded) await RetireAsync();
    }

    /// <summary>After a commit: an ended campaign settles at once, and so does spend that reached the threshold.</summary>
    private void FollowUp()
    {
        if ((State.IsEnded && !_retired) || State.Unclaimed >= billingOptions.Value.SettlementThreshold) KickSettlement();
    }

    /// <summary>Moves the settlement timer's next tick to now (or right after the tick running).</summary>
    private void KickSettlement()
    {
        try
        {
            _settlementTimer?.Change(TimeSpan.Zero, billingOptions.Value.SettlementInterval);
        }
        catch (ObjectDisposedException)
        {
            // The activation is leaving; OnDeactivateAsync and the settle reminder take over.
        }
    }

    /// <summary>Registers the settle reminder if spend is unsettled and it is not registered yet.</summary>
    private async Task EnsureSettleReminderAsync()
    {
        if (_settleReminderRegistered || State.Unsettled == 0) return;
        await _settleReminderGate.WaitAsync();
        try
        {
            if (_settleReminderRegistered) return;
            await this.RegisterOrUpdateReminder(SettleReminder, RetryPeriod, RetryPeriod);
            _settleReminderRegistered = true;
        }
        finally
        {
            _settleReminderGate.Release();
        }
    }

    /// <summary>Unregisters the settle reminder once everything is settled.</summary>
    private async Task UnscheduleSettleIfDoneAsync()
    {
        await _settleReminderGate.WaitAsync();
        try
        {
            if (State.Unsettled > 0) return;
            // Cleared before awaiting: spend accrued meanwhile waits at the gate and registers the reminder again.
            _settleReminderRegistered = false;
            await ForgetReminderAsync(SettleReminder);
        }
        finally
        {
            _settleReminderGate.Release();
        }
    }

    /// <summary>Once the campaign has ended: its start and end reminders go; once all is settled, its settle reminder and timer too.</summary>
    private async Task RetireAsync()
    {
        if (_retired || !State.IsEnded) return;
        await ForgetReminderAsync(StartReminder);
        await ForgetReminderAsync(EndReminder);
        if (State.Unsettled > 0) return;
        await UnscheduleSettleIfDoneAsync();
        if (State.Unsettled > 0 || _retired) return;
        _retired = true;
        _settlementTimer?.Dispose();
        _settlementTimer = null;
    }

    private SettlementHooks? Hooks => _hooks ??= ServiceProvider.GetService<SettlementHooks>();
}

/// <summary>Test seams around a settlement's wallet call, to stop a silo at the worst moments. Not registered in production.</summary>
internal sealed class SettlementHooks
{
    /// <summary>Runs once the settlement is stored as started, before the wallet is asked.</summary>
    public Func<SpendSettlement, Task>? BeforeWalletCall { get; set; }

    /// <summary>Runs once the wallet has taken the settlement, before it is stored as completed.</summary>
    public Func<SpendSettlement, Task>? AfterWalletCall { get; set; }
}
