using AdWallet.Grains.Payments;
using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// Reconciliation: while a wallet has unsettled payments, a durable reminder asks the gateway what really happened.
/// It reads the wallet's captures at the gateway in order, a bounded batch per tick, from where it stopped: a capture
/// no charge was credited for (the silo died between capture and credit) is credited, once; one for a pending charge
/// settles it; a second capture of a credited charge, or one of a charge that failed, is refunded as a duplicate. A
/// pending charge the gateway never captured fails after a grace period; a refund not yet returned is returned.
/// </summary>
public sealed partial class WalletGrain
{
    private const string ReconcileReminder = "reconcile";
    private const string DuplicateReason = "duplicate";
    private const int CapturePageSize = 200;

    private readonly SemaphoreSlim _reminderGate = new(1, 1);
    private bool _reconciliationScheduled;

    // One check of captures at a time (a scan, or a webhook's payment): two could both refund a duplicate before either recorded it.
    private readonly SemaphoreSlim _captureCheck = new(1, 1);

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
        State.HasPendingCharges || State.CaptureCredits > State.CaptureCreditsReconciled || State.PendingRefunds.Count > 0;

    private async Task ReconcileAsync()
    {
        await ReconcileCapturesAsync();
        foreach (var charge in State.Charges.Values.Where(c => c.Status == ChargeStatus.Pending).ToArray())
        {
            if (!_chargesInFlight.ContainsKey(charge.Id)) await ResolvePendingChargeAsync(charge);
        }
        foreach (var refundId in State.PendingRefunds.Keys.ToArray())
        {
            if (!_refundsInFlight.Contains(refundId)) await ReturnRefundAsync(refundId);
        }
        await PublishFundingAsync();
        await UnscheduleReconciliationIfSettledAsync();
    }

    private async Task ResolvePendingChargeAsync(ChargeRecord charge)
    {
        var captures = await gateway.FindCapturesAsync(PaymentReference(charge));
        // Settled meanwhile, perhaps.
        if (!State.Charges.TryGetValue(charge.Id, out var pending) || pending.Status != ChargeStatus.Pending) return;
        charge = pending;
        if (captures.Count > 0)
        {
            logger.LogInformation("Reconciliation credits charge {ChargeId} of wallet {WalletId}", charge.Id, Id);
            Settle(charge, CaptureResult.Captured(captures[0].CaptureId));
        }
        else if (Now - charge.CreatedAt >= paymentOptions.Value.PendingGracePeriod)
        {
            logger.LogInformation("Reconciliation fails charge {ChargeId} of wallet {WalletId}: nothing was captured", charge.Id, Id);
            Settle(charge, CaptureResult.Declined(ErrorCodes.ProcessingError));
        }
    }

    /// <summary>
    /// On activation, while payments may be unsettled: a capture whose credit died with the previous activation is
    /// credited before any request is served, so that what callers see already includes it.
    /// </summary>
    private async Task RecoverLostCreditsAsync()
    {
        try
        {
            await ReconcileCapturesAsync();
        }
        catch (Exception exception) when (exception is not Orleans.Storage.InconsistentStateException)
        {
            logger.LogWarning(exception, "Reconciling the captures of wallet {WalletId} on activation failed; the reminder retries it", Id);
        }
    }

    /// <summary>
    /// Checks the wallet's captures at the gateway after the stored cursor. The cursor stops before the first capture
    /// whose charge is still waiting for the gateway here, so that it is checked again once that charge is settled.
    /// Once every capture up to the last one was checked, every credit made before that was counted is reconciled.
    /// </summary>
    private async Task ReconcileCapturesAsync()
    {
        // A scan already under way covers this one's captures.
        if (!await _captureCheck.WaitAsync(0)) return;
        try
        {
            await ScanCapturesAsync();
        }
        finally
        {
            _captureCheck.Release();
        }
    }

    private async Task ScanCapturesAsync()
    {
        var cursor = State.CaptureCursor;
        var after = cursor;
        var blocked = false;
        var read = 0;
        long? creditsSeen = null;
        var batch = paymentOptions.Value.ReconciliationBatch;
        while (read < batch)
        {
            var size = Math.Min(CapturePageSize, batch - read);
            var page = await gateway.ListCapturesAsync($"{Id}/", after, size);
            // A credit counted now was captured before this page was read, so this page or an earlier one holds it.
            var credits = State.CaptureCredits;
            foreach (var capture in page)
            {
                after = capture.CaptureId;
                switch (await ReconcileCaptureAsync(capture))
                {
                    case CaptureCheck.InFlight:
                        blocked = true;
                        break;
                    case CaptureCheck.Credited:
                        credits++;
                        break;
                }
                if (!blocked) cursor = capture.CaptureId;
            }
            read += page.Count;
            if (page.Count < size)
            {
                if (!blocked) creditsSeen = credits;
                break;
            }
        }
        var reconciled = creditsSeen ?? State.CaptureCreditsReconciled;
        if (cursor != State.CaptureCursor || reconciled != State.CaptureCreditsReconciled)
            Raise(new CapturesReconciled(Now, cursor, reconciled));
        await Commit();
    }

    private enum CaptureCheck
    {
        Settled,
        Credited,
        InFlight,
    }

    /// <summary>Settles one capture against the wallet's charges.</summary>
    private async Task<CaptureCheck> ReconcileCaptureAsync(Capture capture)
    {
        var chargeId = capture.Reference[(Id.Length + 1)..];
        if (_chargesInFlight.ContainsKey(chargeId)) return CaptureCheck.InFlight;
        var charge = await FindChargeAsync(chargeId);
        // A charge may have started while the look-up waited.
        if (_chargesInFlight.ContainsKey(chargeId)) return CaptureCheck.InFlight;
        charge = State.Charges.GetValueOrDefault(chargeId) ?? charge;
        if (charge is null)
        {
            if (capture.RefundedAmount >= capture.Amount) return CaptureCheck.Settled;
            if (ChargeRequest.FromCapture(chargeId, capture) is { } lost)
            {
                logger.LogInformation("Reconciliation credits capture {CaptureId} of wallet {WalletId}: its credit was lost", capture.CaptureId, Id);
                Raise(lost.Captured(Now, capture.CaptureId, Credit(TransactionKinds.Charge, capture.Amount, chargeId)));
                return CaptureCheck.Credited;
            }
            // Not a top-up of this wallet's (an auto-pay intent is always stored first): nothing to credit it to.
            logger.LogWarning("Reconciliation found capture {CaptureId} for {Reference}, which no charge of wallet {WalletId} made", capture.CaptureId, capture.Reference, Id);
            return CaptureCheck.Settled;
        }
        if (charge.Status == ChargeStatus.Pending)
        {
            logger.LogInformation("Reconciliation credits charge {ChargeId} of wallet {WalletId}", charge.Id, Id);
            Settle(charge, CaptureResult.Captured(capture.CaptureId));
            return CaptureCheck.Credited;
        }
        if (capture.CaptureId != charge.CaptureId) await RefundDuplicateAsync(charge, capture);
        return CaptureCheck.Settled;
    }

    /// <summary>Refunds a capture the wallet was not credited for: a second capture of a charge, or one of a charge that failed.</summary>
    private async Task RefundDuplicateAsync(ChargeRecord charge, Capture duplicate)
    {
        var unrefunded = duplicate.Amount - duplicate.RefundedAmount;
        if (unrefunded <= 0) return;
        await gateway.RefundAsync(duplicate.CaptureId, unrefunded, $"{PaymentReference(charge)}/{DuplicateReason}/{duplicate.CaptureId}", DuplicateReason);
        State.Reopen(charge);
        Raise(new DuplicateCaptureRefunded(Now, charge.Id, duplicate.CaptureId, unrefunded));
        await NotifyAsync(MasterAndMembers, $"{charge.Id}:{duplicate.CaptureId}", "duplicate_payment_refunded", "A duplicate payment was refunded",
            $"A second payment of {unrefunded:N0} won for charge {charge.Id} was refunded to its original method.");
    }

    private async Task ScheduleReconciliationAsync()
    {
        if (_reconciliationScheduled) return;
        await _reminderGate.WaitAsync();
        try
        {
            if (_reconciliationScheduled) return;
            var interval = reminderOptions.Value.AtLeastMinimum(paymentOptions.Value.ReconciliationInterval);
            await this.RegisterOrUpdateReminder(ReconcileReminder, interval, interval);
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
            if (await this.GetReminder(ReconcileReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        finally
        {
            _reminderGate.Release();
        }
    }
}
