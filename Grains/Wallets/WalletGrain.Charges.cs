using AdWallet.Grains.Payments;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Wallets;

/// <summary>Top-ups. The intent is stored before the gateway is asked, so a crash at any point leaves either nothing or a pending charge that reconciliation settles exactly once.</summary>
public sealed partial class WalletGrain
{
    private readonly Dictionary<string, Task<ChargeView>> _chargesInFlight = [];

    public async Task<Idempotent<ChargeView>> Charge(Caller caller, ChargeCommand command, IdempotencyKey idempotencyKey)
    {
        await RequireMoneyAccessAsync(caller);
        var scope = Scope(caller, "charge", idempotencyKey);
        if (TryFindEarlier(scope, idempotencyKey, out var earlier)) return new(await AnswerChargeAgainAsync(earlier), Replayed: true);
        ValidateCharge(command);
        await RequireIdentityForMoneyAsync(caller);
        // Another request with the same key may have started while this one waited.
        if (TryFindEarlier(scope, idempotencyKey, out earlier)) return new(await AnswerChargeAgainAsync(earlier), Replayed: true);
        var card = command.CardId is null ? null : FindCard(command.CardId);

        var chargeId = NewId("chg");
        Raise(new ChargeStarted(Now, chargeId, command.Amount, command.Method, card?.Id, $"{Id}/{chargeId}", scope, idempotencyKey.RequestHash));
        var outcome = CaptureAsync(chargeId, card?.Token, command.CardNumber);
        _chargesInFlight[chargeId] = outcome;
        try
        {
            return new(await outcome, Replayed: false);
        }
        finally
        {
            _chargesInFlight.Remove(chargeId);
        }
    }

    public Task<ChargeView> GetCharge(Caller caller, string chargeId)
    {
        RequireMember(caller);
        return State.Charges.TryGetValue(chargeId, out var charge)
            ? Task.FromResult(charge.ToView())
            : throw DomainException.NotFound($"Charge {chargeId}");
    }

    public Task<Page<ChargeView>> ListCharges(Caller caller, PageRequest page)
    {
        RequireMember(caller);
        return Task.FromResult(Paging.NewestFirst(State.ChargeOrder, page, id => State.Charges[id].ToView()));
    }

    private async Task<ChargeView> CaptureAsync(string chargeId, string? cardToken, string? cardNumber)
    {
        await ScheduleReconciliationAsync();
        await Commit();

        var charge = State.Charges[chargeId];
        CaptureResult result;
        try
        {
            result = await gateway.CaptureAsync(new PaymentRequest(charge.Reference, charge.Amount, charge.Method, cardToken, cardNumber));
        }
        catch (PaymentGatewayTimeoutException exception)
        {
            logger.LogWarning(exception, "Charge {ChargeId} of wallet {WalletId} is pending: the gateway did not answer", chargeId, Id);
            return charge.ToAnswer();
        }

        Settle(charge, result);
        await Commit();
        if (result.Succeeded) await PublishFundingAsync();
        return charge.ToAnswer();
    }

    /// <summary>Records the gateway's answer for a pending charge: a credit, or a failure. Only the first answer counts.</summary>
    private void Settle(ChargeRecord charge, CaptureResult result)
    {
        if (charge.Status != ChargeStatus.Pending) return;
        if (result.CaptureId is { } captureId)
            Raise(new ChargeSucceeded(Now, charge.Id, captureId, Credit(TransactionKinds.Charge, charge.Amount, charge.Id)));
        else
            Raise(new ChargeFailed(Now, charge.Id, result.DeclineCode ?? ErrorCodes.ProcessingError));
    }

    /// <summary>A replay: the first answer, once it is stored; a charge left pending is looked up at the gateway again.</summary>
    private async Task<ChargeView> AnswerChargeAgainAsync(string chargeId)
    {
        if (_chargesInFlight.TryGetValue(chargeId, out var inFlight)) return await inFlight;
        var charge = State.Charges[chargeId];
        if (charge.Status == ChargeStatus.Pending)
        {
            await ResolvePendingChargeAsync(charge);
            await Commit();
        }
        await wallet.WhenWrittenAsync();
        return charge.ToAnswer();
    }

    private void ValidateCharge(ChargeCommand command)
    {
        if (command.Amount is < WalletLimits.MinimumCharge or > WalletLimits.MaximumCharge)
            throw new DomainException(ErrorCodes.ValidationFailed, $"A charge is {WalletLimits.MinimumCharge:N0} to {WalletLimits.MaximumCharge:N0} won.");
        if (!PaymentMethods.All.Contains(command.Method))
            throw new DomainException(ErrorCodes.ValidationFailed, $"A charge is paid by {string.Join(", ", PaymentMethods.All)}.");
        if (!command.TermsAccepted)
            throw new DomainException(ErrorCodes.TermsNotAccepted, "Accept the electronic financial transactions terms to charge.");
        if (command.Method == PaymentMethods.Card && command.CardId is null == command.CardNumber is null)
            throw new DomainException(ErrorCodes.ValidationFailed, "A card charge names either a registered card or a card number.");
    }

    /// <summary>Paid cash coming in: a negative balance is paid off first, simply by adding to it.</summary>
    private Posting Credit(string kind, long amount, string reference) =>
        new(kind, amount, 0, amount, State.Free, State.Paid + amount, reference);
}
