using AdWallet.GatewaySimulator.Contracts;

namespace AdWallet.GatewaySimulator.Payments;

/// <summary>A payment request that has passed every check: what the ledger captures.</summary>
internal sealed record PaymentOrder(
    string OrderId,
    long Amount,
    string Method,
    string? BillingKey,
    string? CardNumber,
    string? Payer,
    IReadOnlyDictionary<string, string> Metadata)
{
    public const int MaxOrderIdLength = 200;
    public const long MaxAmount = 100_000_000;
    public const int MaxPayerLength = 100;
    public const int MaxMetadataEntries = 50;
    public const int MaxMetadataKeyLength = 100;
    public const int MaxMetadataValueLength = 1_000;

    public const string Card = "card";
    public static readonly string[] Methods = [Card, "pay_money", "phone", "gift_card"];

    /// <summary>The order, or the words of the 400 that refuses it.</summary>
    public static (PaymentOrder? Order, string? Error) From(PaymentRequest? request)
    {
        if (request is null)
            return (null, "The body must be a JSON payment.");
        if (request.OrderId is not { Length: >= 1 and <= MaxOrderIdLength } orderId)
            return (null, $"orderId must be 1 to {MaxOrderIdLength} characters.");
        if (request.Amount is not { } amount || amount is < 1 or > MaxAmount)
            return (null, $"amount must be 1 to {MaxAmount} won.");
        if (request.Method is not { } method || !Methods.Contains(method))
            return (null, $"method must be one of {string.Join(", ", Methods)}.");
        if (MetadataError(request.Metadata) is { } metadataError)
            return (null, metadataError);
        var metadata = request.Metadata ?? [];
        if (method != Card)
        {
            if (request.BillingKey is not null || request.Card is not null)
                return (null, $"A {method} payment names a payer, not a billingKey or card.");
            if (request.Payer is { Length: > MaxPayerLength })
                return (null, $"payer must be at most {MaxPayerLength} characters.");
            return (new(orderId, amount, method, null, null, request.Payer, metadata), null);
        }
        if (request.Payer is not null)
            return (null, "A card payment names a billingKey or a card, not a payer.");
        return (request.BillingKey, request.Card) switch
        {
            ({ Length: > 0 } billingKey, null) => (new(orderId, amount, method, billingKey, null, null, metadata), null),
            // A one-time card may come without its expiry, as keyed-in card payments do; a given expiry must be MM/YY.
            (null, { } card) when CardChecks.IsCardNumber(card.Number) && (card.Expiry is null || CardChecks.IsExpiry(card.Expiry)) =>
                (new(orderId, amount, method, null, card.Number, null, metadata), null),
            (null, not null) => (null, "card needs a valid number, and an expiry MM/YY if any."),
            _ => (null, "A card payment names exactly one of billingKey and card."),
        };
    }

    private static string? MetadataError(Dictionary<string, string>? metadata)
    {
        if (metadata is null)
            return null;
        if (metadata.Count > MaxMetadataEntries)
            return $"metadata may hold at most {MaxMetadataEntries} entries.";
        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxMetadataKeyLength)
                return $"metadata keys must be 1 to {MaxMetadataKeyLength} characters.";
            if (value is null || value.Length > MaxMetadataValueLength)
                return $"metadata values must be strings of at most {MaxMetadataValueLength} characters.";
        }
        return null;
    }
}
