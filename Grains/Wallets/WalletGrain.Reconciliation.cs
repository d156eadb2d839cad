using Granary;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// Reconciliation: while a wallet has unsettled payments, a durable reminder asks the gateway what really happened.
/// A pending charge the gateway captured is credited (once: only a pending charge can be settled); one it never
/// captured fails after a grace period; a second capture of a payment is refunded as a duplicate; a refund not yet
/// returned is returned.
/// </summary>
public sealed partial class WalletGrain
{
    private const string ReconcileReminder = "reconcile";
    private const string DuplicateReason = "duplicate";

    private readonly SemaphoreSlim _reminderGate = new(1, 1);
    private bool _reconciliationScheduled;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case ReconcileReminder:
                await ReconcileAsync();
                break;
            case FreeCashReminder:
                await ExpireFreeCashAsync();
                break;
            case MidnightReminder:
                await OnMidnightAsync();
                break;
            case RetryReminder:
                await OnRetryAsync();
                break;
        }
    }

    private bool HasUnsettledPayments =>
        State.PendingCharges.Count > 0 || State.UnverifiedCharges.Count > 0 || State.PendingRefunds.Count > 0;

    private async Task ReconcileAsync()
    {
        foreach (var chargeId in State.PendingCharges.ToArray())
        {
            if (!_chargesInFlight.ContainsKey(chargeId)) await ResolvePendingChargeAsync(State.Charges[chargeId]);
        }
        await VerifyCapturesAsync();
        foreach (var refundId in State.PendingRefunds.ToArray())
        {
            if (!_refundsInFlight.Contains(refundId)) await ReturnRefundAsync(refundId);
        }
        await PublishFundingAsync();
        await UnscheduleReconciliationIfSettledAsync();
    }

    private async Task ResolvePendingChargeAsync(ChargeRecord charge)
    {
        var captures = await gateway.FindCapturesAsync(charge.Reference);
        if (charge.Status != ChargeStatus.Pending) return;
        if (captures.Count > 0)
        {
            logger.LogInformation("Reconciliation credits charge {ChargeId} of wallet {WalletId}", charge.Id, Id);
            Settle(charge, Payments.CaptureResult.Captured(captures[0].CaptureId));
        }
        else if (Now - charge.CreatedAt >= paymentOptions.Value.PendingGracePeriod)
        {
            logger.LogInformation("Reconciliation fails charge {ChargeId} of wallet {WalletId}: nothing was captured", charge.Id, Id);
            Settle(charge, Payments.CaptureResult.Declined(ErrorCodes.ProcessingError));
        }
    }

    /// <summary>Refunds every capture of a credited charge but the one credited.</summary>
    private async Task VerifyCapturesAsync()
    {
        var verified = new List<string>();
        foreach (var chargeId in State.UnverifiedCharges.ToArray())
        {
            var charge = State.Charges[chargeId];
            foreach (var duplicate in await gateway.FindCapturesAsync(charge.Reference))
            {
                var unrefunded = duplicate.Amount - duplicate.RefundedAmount;
                if (duplicate.CaptureId == charge.CaptureId || unrefunded <= 0) continue;
                await gateway.RefundAsync(duplicate.CaptureId, unrefunded, $"{charge.Reference}/{DuplicateReason}/{duplicate.CaptureId}", DuplicateReason);
                Raise(new DuplicateCaptureRefunded(Now, chargeId, duplicate.CaptureId, unrefunded));
                await NotifyAsync(MasterAndMembers, $"{chargeId}:{duplicate.CaptureId}", "duplicate_payment_refunded", "A duplicate payment was refunded",
                    $"A second payment of {unrefunded:N0} won for charge {chargeId} was refunded to its original method.");
            }
            verified.Add(chargeId);
        }
        if (verified.Count > 0) Raise(new ChargesVerified(Now, verified));
    }

    private async Task ScheduleReconciliationAsync()
    {
        if (_reconciliationScheduled) return;
        await _reminderGate.WaitAsync();
        try
        {
            if (_reconciliationScheduled) return;
            var interval = paymentOptions.Value.ReconciliationInterval;
            await RegisterOrUpdateReminder(ReconcileReminder, interval, interval);
            _reconciliationScheduled = true;
        }
        finally
        {
            _reminderGate.Release();
        }
    }

    private async Task UnscheduleReconciliationIfSettledAsync()
    {
        await _reminderGate.WaitAsync();
        try
        {
            if (HasUnsettledPayments || _chargesInFlight.Count > 0 || _refundsInFlight.Count > 0) return;
            // Cleared before awaiting: a payment starting meanwhile then waits at the gate and schedules again.
            _reconciliationScheduled = false;
            if (await GetReminder(ReconcileReminder) is { } reminder) await UnregisterReminder(reminder);
        }
        finally
        {
            _reminderGate.Release();
        }
    }
}
