using AdWallet.Grains.Payments;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// Auto-pay: a negative balance is charged to the credit cards, the primary first, then the backups, at most
/// 500,000 won a charge. It charges at once when the negative balance reaches 500,000, otherwise at 00:00 in Seoul.
/// When every card fails the accounts go OFF and retries continue every <see cref="AutoPayOptions.RetryInterval"/>
/// (or every <c>Reminders:MinimumReminderPeriod</c>, if that is longer).
/// The balance is read again before every charge.
/// </summary>
public sealed partial class WalletGrain
{
    private const string MidnightReminder = "auto-pay-midnight";
    private const string RetryReminder = "auto-pay-retry";

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _autoPayGate = new(1, 1);

    private enum AutoPayTrigger
    {
        /// <summary>The negative balance reached 500,000: charge 500,000 at a time while it stays that deep.</summary>
        Threshold,

        /// <summary>Midnight, or a retry: charge the whole negative balance, 500,000 at a time.</summary>
        Balance,
    }

    /// <param name="retrying">A retry tries the cards again although the last run failed on all of them.</param>
    private async Task RunAutoPayAsync(AutoPayTrigger trigger, bool retrying = false)
    {
        await _autoPayGate.WaitAsync();
        try
        {
            while (State.AutoPayEnabled && (retrying || !State.AutoPayFailing))
            {
                var debt = -State.Total;
                if (debt <= 0 || (trigger == AutoPayTrigger.Threshold && debt < WalletLimits.AutoPayChargeLimit)) break;
                var wanted = MoneyRules.AutoPayAmount(debt, long.MaxValue);
                var amount = MoneyRules.AutoPayAmount(debt, LeftUnderDailyLimit());
                if (amount == 0)
                {
                    await ReachDailyLimitAsync();
                    break;
                }
                var outcome = await ChargeCardsAsync(amount);
                if (outcome == CardsOutcome.Charged && amount < wanted)
                {
                    await ReachDailyLimitAsync();
                    break;
                }
                if (outcome == CardsOutcome.Charged) continue;
                if (outcome == CardsOutcome.AllFailed)
                {
                    Raise(new AutoPayExhausted(Now));
                    await Commit();
                    var retryInterval = reminderOptions.Value.AtLeastMinimum(autoPayOptions.Value.RetryInterval);
                    await this.RegisterOrUpdateReminder(RetryReminder, retryInterval, retryInterval);
                    await NotifyAsync(MasterAndMembers, $"{Id}:auto-pay-failed:{wallet.Version}", "auto_pay_failed", "Auto-pay failed",
                        $"No card of '{State.Name}' could be charged {amount:N0} won. Its ad accounts are OFF until the balance is back.");
                }
                break;
            }
        }
        finally
        {
            _autoPayGate.Release();
        }
    }

    private async Task ReachDailyLimitAsync()
    {
        var today = BusinessCalendar.Day(Now);
        Raise(new DailyLimitReached(Now, today));
        await Commit();
        await NotifyAsync(MasterAndMembers, $"{Id}:daily-limit:{today:yyyy-MM-dd}", "auto_pay_daily_limit",
            "Auto-pay reached its daily limit", $"The ad accounts of '{State.Name}' are OFF until tomorrow.");
    }

    /// <summary>What auto-pay may still charge today under the daily limit.</summary>
    private long LeftUnderDailyLimit()
    {
        if (State.DailyLimit is not { } limit) return long.MaxValue;
        var today = BusinessCalendar.Day(Now);
        if (State.DailyLimitReachedOn == today) return 0;
        return limit - (State.AutoPayBusinessDay == today ? State.AutoChargedThatDay : 0);
    }

    private enum CardsOutcome
    {
        Charged,
        AllFailed,

        /// <summary>The gateway did not answer: no other card is tried, so the payer is never charged twice; reconciliation settles it.</summary>
        Unknown,
    }

    /// <summary>Tries the credit cards in order until one is charged.</summary>
    private async Task<CardsOutcome> ChargeCardsAsync(long amount)
    {
        foreach (var card in State.Cards.Where(c => c.Kind == CardKinds.Credit).ToArray())
        {
            var attemptId = NewId("apa");
            var chargeId = NewId("chg");
            Raise(new ChargeStarted(Now, chargeId, amount, PaymentMethods.Card, card.Id, $"{Id}/{chargeId}", $"auto-pay|{attemptId}", ""));
            await ScheduleReconciliationAsync();
            await Commit();

            CaptureResult result;
            try
            {
                result = await gateway.CaptureAsync(new PaymentRequest(PaymentReference(chargeId), amount, PaymentMethods.Card, card.Token));
            }
            catch (Exception exception) when (exception is PaymentGatewayTimeoutException or PaymentGatewayUnavailableException)
            {
                logger.LogWarning(exception, "Auto-pay charge {ChargeId} of wallet {WalletId} is pending", chargeId, Id);
                Raise(new AutoPayAttempted(Now, attemptId, chargeId, card.Id, amount, ChargeStatus.Pending, ErrorCodes.PaymentPending, BusinessCalendar.Day(Now)));
                await Commit();
                return CardsOutcome.Unknown;
            }

            // Reconciliation may have settled the charge while the gateway was answering.
            if (State.Charges.TryGetValue(chargeId, out var pending)) Settle(pending, result);
            Raise(new AutoPayAttempted(Now, attemptId, chargeId, card.Id, amount,
                result.Succeeded ? ChargeStatus.Succeeded : ChargeStatus.Failed, result.DeclineCode, BusinessCalendar.Day(Now)));
            await Commit();
            if (result.Succeeded) return CardsOutcome.Charged;
        }
        return CardsOutcome.AllFailed;
    }

    private async Task OnMidnightAsync()
    {
        if (State.AutoPayEnabled) await RunAutoPayAsync(AutoPayTrigger.Balance);
        await PublishFundingAsync();
    }

    private async Task OnRetryAsync()
    {
        if (State.AutoPayFailing && State.AutoPayEnabled) await RunAutoPayAsync(AutoPayTrigger.Balance, retrying: true);
        if (!State.AutoPayFailing && await this.GetReminder(RetryReminder) is { } retry) await this.UnregisterReminder(retry);
        await PublishFundingAsync();
    }

    /// <summary>Keeps the midnight reminder registered exactly while auto-pay is on.</summary>
    private async Task ScheduleAutoPayAsync()
    {
        if (State.AutoPayEnabled)
        {
            if (await this.GetReminder(MidnightReminder) is null)
                await this.RegisterOrUpdateReminder(MidnightReminder, BusinessCalendar.NextMidnight(Now) - Now, reminderOptions.Value.AtLeastMinimum(OneDay));
            return;
        }
        if (await this.GetReminder(MidnightReminder) is { } midnight) await this.UnregisterReminder(midnight);
        if (await this.GetReminder(RetryReminder) is { } retry) await this.UnregisterReminder(retry);
    }
}
