using AdWallet.Grains.Payments;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Wallets;

/// <summary>Refunds of unused paid cash. The wallet is debited first; the gateway then returns the money, and reconciliation retries it until it has.</summary>
public sealed partial class WalletGrain
{
    private readonly HashSet<string> _refundsInFlight = [];

    public async Task<Idempotent<RefundView>> Refund(Caller caller, RefundCommand command, IdempotencyKey idempotencyKey)
    {
        await RequireMemberAsync(caller);
        var scope = Scope(caller, "refund", idempotencyKey);
        if (TryFindEarlier(scope, idempotencyKey, out var earlier)) return new(await AnswerRefundAgainAsync(earlier), Replayed: true);
        await RequireIdentityForMoneyAsync(caller);
        if (TryFindEarlier(scope, idempotencyKey, out earlier)) return new(await AnswerRefundAgainAsync(earlier), Replayed: true);

        // A charge with nothing left to refund is no longer in the state: it is read to tell "not found" from "used up".
        var stored = State.Charges.ContainsKey(command.ChargeId) ? null : await wallet.ReadItemAsync<ChargeRecord>(WalletItems.Charges, command.ChargeId);
        if (TryFindEarlier(scope, idempotencyKey, out earlier)) return new(await AnswerRefundAgainAsync(earlier), Replayed: true);

        var charge = State.Charges.GetValueOrDefault(command.ChargeId) ?? stored;
        if (charge is null || charge.Status != ChargeStatus.Succeeded)
            throw DomainException.NotFound($"Charge {command.ChargeId}");
        if (State.Total < 0)
            throw new DomainException(ErrorCodes.NegativeBalance, "Refunds wait until the negative balance is paid off.");
        var available = Math.Min(charge.Remaining, State.Paid);
        var amount = command.Amount ?? available;
        if (amount <= 0 || amount > available)
            throw new DomainException(ErrorCodes.RefundExceedsAvailable, $"Charge {charge.Id} has {available:N0} won of unused paid cash to refund.");

        var refundId = NewId("rfd");
        Raise(new RefundIssued(Now, refundId, charge.Id, amount, scope, idempotencyKey.RequestHash,
            new Posting(TransactionKinds.Refund, -amount, 0, -amount, State.Free, State.Paid - amount, refundId)));
        _refundsInFlight.Add(refundId);
        try
        {
            await ScheduleReconciliationAsync();
            await Commit();
            await ReturnRefundAsync(refundId);
            await Commit();
        }
        finally
        {
            _refundsInFlight.Remove(refundId);
        }
        await PublishFundingAsync();
        return new((await FindRefundAsync(refundId)).ToView(), Replayed: false);
    }

    private async Task<RefundView> AnswerRefundAgainAsync(string refundId)
    {
        await wallet.WhenWrittenAsync();
        return (await FindRefundAsync(refundId)).ToView();
    }

    private async Task<RefundRecord> FindRefundAsync(string refundId) =>
        State.PendingRefunds.GetValueOrDefault(refundId)
        ?? await wallet.ReadItemAsync<RefundRecord>(WalletItems.Refunds, refundId)
        ?? throw new InvalidOperationException($"Refund {refundId} of wallet {Id} is neither pending nor stored.");

    /// <summary>Asks the gateway to return a refund to the payer; idempotent at the gateway, so retries are safe.</summary>
    private async Task ReturnRefundAsync(string refundId)
    {
        if (!State.PendingRefunds.TryGetValue(refundId, out var refund)) return;
        try
        {
            await gateway.RefundAsync(refund.CaptureId, refund.Amount, $"{PaymentReference(refund)}/refund/{refundId}", "requested_by_customer");
        }
        catch (Exception exception) when (exception is PaymentGatewayTimeoutException or PaymentGatewayUnavailableException or InvalidOperationException or HttpRequestException)
        {
            logger.LogWarning(exception, "Refund {RefundId} of wallet {WalletId} is not returned yet; reconciliation retries it", refundId, Id);
            return;
        }
        if (State.PendingRefunds.ContainsKey(refundId)) Raise(new RefundSettled(Now, refundId));
    }
}
