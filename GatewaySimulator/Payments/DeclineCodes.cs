namespace AdWallet.GatewaySimulator.Payments;

/// <summary>What a card, billing key or payer answers to a payment: approval, or the code of a 422 decline.</summary>
internal static class DeclineCodes
{
    /// <summary>Stored as a billing key's behaviour when its payments succeed.</summary>
    public const string Approve = "approve";

    public const string CardDeclined = "card_declined";
    public const string InsufficientFunds = "insufficient_funds";
    public const string ExpiredCard = "expired_card";
    public const string ProcessingError = "processing_error";

    /// <summary>Null when approved.</summary>
    public static string? AsDecline(string behaviour) => behaviour == Approve ? null : behaviour;
}
