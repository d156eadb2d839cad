using AdWallet.Grains.Wallets;

namespace AdWallet.Api.Requests;

/// <summary>The bodies of the requests that move money: charges, refunds and free-cash grants.</summary>
public static class MoneyRequests
{
    public static readonly IntegerRule ChargeAmount = new(WalletLimits.MinimumCharge, WalletLimits.MaximumCharge);
    public static readonly IntegerRule RefundAmount = new(1, 10_000_000);
    public static readonly IntegerRule FreeCashAmount = new(1, 10_000_000);

    public static ChargeCommand Charge(FieldReader body)
    {
        var command = new ChargeCommand(
            body.RequiredInteger("amount", ChargeAmount),
            body.RequiredEnum("method", PaymentMethods.All),
            // Absent is "not accepted": the wallet answers 422 terms_not_accepted, as for false.
            body.OptionalBoolean("termsAccepted") ?? false,
            body.OptionalString("cardId", TextRule.ResourceId),
            body.OptionalString("cardNumber", TextRule.CardNumber));

        var hasCardId = body.Has("cardId");
        var hasCardNumber = body.Has("cardNumber");
        if (command.Method == PaymentMethods.Card)
        {
            if (!hasCardId && !hasCardNumber)
                body.Errors.Add("cardId", "is required for method card, unless cardNumber is given.");
            else if (hasCardId && hasCardNumber)
                body.Errors.Add("cardNumber", "must not be given with cardId.");
        }
        else if (command.Method.Length > 0)
        {
            if (hasCardId) body.Errors.Add("cardId", "is only for method card.");
            if (hasCardNumber) body.Errors.Add("cardNumber", "is only for method card.");
        }
        body.ThrowIfInvalid();
        return command;
    }

    public static RefundCommand Refund(FieldReader body)
    {
        var command = new RefundCommand(
            body.RequiredString("chargeId", TextRule.ResourceId),
            body.OptionalInteger("amount", RefundAmount));
        body.ThrowIfInvalid();
        return command;
    }

    /// <summary>Shape only: that <c>expiresAt</c> lies in the future is the wallet's rule.</summary>
    public static GrantFreeCash GrantFreeCash(FieldReader body)
    {
        var command = new GrantFreeCash(
            body.RequiredInteger("amount", FreeCashAmount),
            body.RequiredDateTime("expiresAt"));
        body.ThrowIfInvalid();
        return command;
    }
}
