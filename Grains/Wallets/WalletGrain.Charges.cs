using System.Security.Cryptography;
using System.Text;
using AdWallet.Grains.Payments;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// Top-ups. A charge's id, and so its payment reference, follows from its idempotency key, and nothing is stored until
/// the gateway has answered: a captured charge is credited by one event. A retry after a crash asks the gateway for the
/// same reference and gets the same capture back; a capture whose credit was lost is found by reconciliation, which
/// scans the wallet's captures at the gateway (its reminder is registered before the first capture). Either way a
/// captured payment is credited exactly once.
/// </summary>
public sealed partial class WalletGrain
{
    private readonly Dictionary<string, ChargeInFlight> _chargesInFlight = [];

    public async Task<Idempotent<ChargeView>> Charge(Caller caller, ChargeCommand command, IdempotencyKey idempotencyKey)
    {
        await RequireChargeAccessAsync(caller);
        var scope = Scope(caller, "charge", idempotencyKey);
        var chargeId = ChargeIdFor(scope);
        // A request with the same key already under way: its outcome is this one's.
        if (_chargesInFlight.TryGetValue(chargeId, out var inFlight))
        {
            RequireSameRequest(inFlight.RequestHash, idempotencyKey);
            return new(await inFlight.Outcome, Replayed: true);
        }

        // Claimed before anything is awaited, so that no second request with this key can start meanwhile.
        var outcome = new TaskCompletionSource<ChargeView>(TaskCreationOptions.RunContinuationsAsynchronously);
        _chargesInFlight[chargeId] = new ChargeInFlight(idempotencyKey.RequestHash, outcome.Task);
        try
        {
            var answer = await ChargeOnceAsync(caller, command, idempotencyKey, scope, chargeId);
            outcome.SetResult(answer.Value);
            return answer;
        }
        catch (Exception exception)
        {
            outcome.SetException(exception);
            _ = outcome.Task.Exception; // observed here; a concurrent replay rethrows it
            throw;
        }
        finally
        {
            _chargesInFlight.Remove(chargeId);
        }
    }

    public async Task<ChargeView> GetCharge(Caller caller, string chargeId)
    {
        await RequireMemberAsync(caller);
        var charge = await FindChargeAsync(chargeId) ?? throw DomainException.NotFound($"Charge {chargeId}");
        return charge.ToView();
    }

    public async Task<Page<ChargeView>> ListCharges(Caller caller, PageRequest page)
    {
        await RequireMemberAsync(caller);
        await wallet.WhenWrittenAsync();
        var items = await wallet.ReadItemsAsync<ChargeRecord>(WalletItems.Charges, Paging.ParseCursor(page.Cursor), page.Limit + 1);
        return Paging.Page(items, page, charge => charge.ToView());
    }

    /// <summary>A charge whose key is not in flight: the stored answer to an earlier request with the key, or a new capture.</summary>
    private async Task<Idempotent<ChargeView>> ChargeOnceAsync(Caller caller, ChargeCommand command, IdempotencyKey idempotencyKey, string scope, string chargeId)
    {
        if (await FindEarlierChargeAsync(chargeId) is { } earlier)
        {
            RequireSameRequest(earlier.RequestHash, idempotencyKey);
            return new(await AnswerChargeAgainAsync(earlier.Id, command), Replayed: true);
        }
        ValidateCharge(command);
        await RequireIdentityForMoneyAsync(caller);
        var card = command.CardId is null ? null : FindCard(command.CardId);
        var request = new ChargeRequest(chargeId, command.Amount, command.Method, card?.Id, scope, idempotencyKey.RequestHash);
        return new(await CaptureAsync(request, card?.Token, command.CardNumber), Replayed: false);
    }

    /// <summary>
    /// The charge an earlier request with this key made, if any. The window of recent charges answers without storage
    /// for a new charge, the usual case; storage is asked only for a charge the window knows, or when it has forgotten some.
    /// </summary>
    private async Task<ChargeRecord?> FindEarlierChargeAsync(string chargeId) =>
        State.Charges.ContainsKey(chargeId) || State.RecentCharges.ContainsKey(chargeId) || State.ChargesForgotten
            ? await FindChargeAsync(chargeId)
            : null;

    /// <summary>An open charge from the state, or any charge from storage (seeing writes not yet stored).</summary>
    private async Task<ChargeRecord?> FindChargeAsync(string chargeId) =>
        State.Charges.TryGetValue(chargeId, out var open) ? open : await wallet.ReadItemAsync<ChargeRecord>(WalletItems.Charges, chargeId);

    private async Task<ChargeView> CaptureAsync(ChargeRequest request, string? cardToken, string? cardNumber)
    {
        // Before anything is captured: a crash after the capture then still leaves reconciliation to find it.
        await ScheduleReconciliationAsync();

        var reference = PaymentReference(request.ChargeId);
        CaptureResult result;
        try
        {
            result = await gateway.CaptureAsync(new PaymentRequest(reference, request.Amount, request.Method, cardToken, cardNumber, request.Metadata()));
        }
        catch (PaymentGatewayUnavailableException exception)
        {
            // Nothing reached the gateway, so nothing was captured: nothing is recorded, and a retry with the same key starts afresh.
            logger.LogWarning(exception, "Charge {ChargeId} of wallet {WalletId} was not made: the gateway is unreachable", request.ChargeId, Id);
            throw new DomainException(ErrorCodes.PaymentGatewayUnavailable, "The payment gateway cannot be reached. Retry the request with the same Idempotency-Key.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The payer may have paid: the charge stays pending until reconciliation (or a retry) learns the outcome.
            logger.LogWarning(exception, "Charge {ChargeId} of wallet {WalletId} is pending: the gateway did not answer", request.ChargeId, Id);
            if (!State.Charges.ContainsKey(request.ChargeId)) Raise(request.Started(Now, reference));
            await Commit();
            if (exception is not PaymentGatewayTimeoutException) throw;
            return (await FindChargeAsync(request.ChargeId))!.ToAnswer();
        }

        // Reconciliation may have credited this capture while the gateway was answering.
        if (State.Charges.TryGetValue(request.ChargeId, out var known))
            Settle(known, result);
        else if (result.CaptureId is { } captureId)
            Raise(request.Captured(Now, captureId, Credit(TransactionKinds.Charge, request.Amount, request.ChargeId)));
        else
        {
            Raise(request.Started(Now, reference));
            Raise(new ChargeFailed(Now, request.ChargeId, result.DeclineCode ?? ErrorCodes.ProcessingError));
        }
        // A credit that changes what the ad accounts may do is stored with the change, in the same write.
        if (result.Succeeded) RecordFunding();
        await Commit();
        if (result.Succeeded) await PublishFundingAsync(ownChangesStored: true);
        return (await FindChargeAsync(request.ChargeId))!.ToAnswer();
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

    /// <summary>
    /// A replay: the first answer, once it is stored. A charge left pending (the gateway did not answer) is asked of the
    /// gateway again under the same order id, which the gateway captures at most once: the replay completes it.
    /// </summary>
    private async Task<ChargeView> AnswerChargeAgainAsync(string chargeId, ChargeCommand command)
    {
        if (State.Charges.TryGetValue(chargeId, out var charge) && charge.Status == ChargeStatus.Pending)
        {
            await RetryPendingCaptureAsync(charge, command);
            await Commit();
        }
        await wallet.WhenWrittenAsync();
        return (await FindChargeAsync(chargeId))!.ToAnswer();
    }

    private async Task RetryPendingCaptureAsync(ChargeRecord charge, ChargeCommand command)
    {
        var cardToken = charge.CardId is { } cardId ? State.Cards.FirstOrDefault(card => card.Id == cardId)?.Token : null;
        if (charge.Method == PaymentMethods.Card && cardToken is null && command.CardNumber is null)
        {
            // The card is gone: only what the gateway already captured can settle the charge.
            await ResolvePendingChargeAsync(charge);
            return;
        }
        CaptureResult result;
        try
        {
            var request = new ChargeRequest(charge.Id, charge.Amount, charge.Method, charge.CardId, "", charge.RequestHash);
            result = await gateway.CaptureAsync(new PaymentRequest(PaymentReference(charge), charge.Amount, charge.Method, cardToken, command.CardNumber, request.Metadata()));
        }
        catch (Exception exception) when (exception is PaymentGatewayTimeoutException or PaymentGatewayUnavailableException)
        {
            logger.LogWarning(exception, "Charge {ChargeId} of wallet {WalletId} is still pending: the gateway did not answer", charge.Id, Id);
            return;
        }
        if (State.Charges.TryGetValue(charge.Id, out var pending)) Settle(pending, result);
    }

    /// <summary>The charge id of an idempotency scope: a retry of a request always charges the same payment reference.</summary>
    private string ChargeIdFor(string scope)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{Id}|{scope}"), hash);
        return "chg_" + Convert.ToHexStringLower(hash[..16]);
    }

    private string PaymentReference(string chargeId) => $"{Id}/{chargeId}";

    private string PaymentReference(ChargeRecord charge) => charge.Reference.Length > 0 ? charge.Reference : PaymentReference(charge.Id);

    private string PaymentReference(RefundRecord refund) => refund.Reference.Length > 0 ? refund.Reference : PaymentReference(refund.ChargeId);

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
