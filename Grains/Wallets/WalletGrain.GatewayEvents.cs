using AdWallet.Grains.Payments;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// The gateway's word about one payment (a webhook) and the operators' reconciliation report. A webhook is only a
/// prompt: the wallet asks the gateway for the payment's current state and settles that, so that duplicate, late and
/// reordered webhooks all end in the same ledger.
/// </summary>
public sealed partial class WalletGrain
{
    public async Task ReconcilePayment(string reference)
    {
        if (!State.Exists) throw DomainException.NotFound($"Wallet {Id}");
        if (!reference.StartsWith($"{Id}/", StringComparison.Ordinal)) return;
        IReadOnlyList<Capture> captures;
        try
        {
            captures = await gateway.FindCapturesAsync(reference);
        }
        catch (Exception exception) when (exception is PaymentGatewayTimeoutException or PaymentGatewayUnavailableException)
        {
            // The gateway redelivers a webhook that was not answered 2xx; reconciliation covers it meanwhile.
            throw new DomainException(ErrorCodes.PaymentGatewayUnavailable, "The payment gateway cannot be reached to look the payment up.");
        }
        // A webhook can overtake the answer to the capture it is about: the charge is still under way, and it may end
        // pending (the answer was lost). The prompt is settled only once that request is done, or it would be spent.
        foreach (var capture in captures) await WhenChargeDoneAsync(capture);
        await _captureCheck.WaitAsync();
        try
        {
            foreach (var capture in captures) await ReconcileCaptureAsync(capture);
        }
        finally
        {
            _captureCheck.Release();
        }
        var captureIds = captures.Select(capture => capture.CaptureId).ToHashSet(StringComparer.Ordinal);
        foreach (var refund in State.PendingRefunds.Values.Where(refund => captureIds.Contains(refund.CaptureId)).ToArray())
        {
            if (!_refundsInFlight.Contains(refund.Id)) await ReturnRefundAsync(refund.Id);
        }
        await Commit();
        await PublishFundingAsync();
    }

    /// <summary>Waits until no request is charging for <paramref name="capture"/>, whatever its outcome.</summary>
    private async Task WhenChargeDoneAsync(Capture capture)
    {
        var chargeId = capture.Reference[(Id.Length + 1)..];
        while (_chargesInFlight.TryGetValue(chargeId, out var inFlight))
        {
            try
            {
                await inFlight.Outcome;
            }
            catch (Exception)
            {
                // Its caller gets the failure; here only its end matters.
            }
        }
    }

    public async Task<IReadOnlyList<PaymentLedgerView>> GetPaymentLedger(IReadOnlyList<CaptureRef> captures)
    {
        await wallet.WhenWrittenAsync();
        var ledger = new List<PaymentLedgerView>(captures.Count);
        foreach (var capture in captures)
        {
            var charge = State.Exists ? await FindChargeAsync(capture.ChargeId) : null;
            var credited = charge is { Status: ChargeStatus.Succeeded } && charge.CaptureId == capture.CaptureId;
            ledger.Add(new PaymentLedgerView(capture.CaptureId, capture.ChargeId, charge?.Status, credited ? charge!.Amount - charge.Refunded : 0));
        }
        return ledger;
    }
}
