namespace AdWallet.Grains.Wallets;

public static class WalletKinds
{
    public const string Personal = "personal";
    public const string Business = "business";

    public static readonly IReadOnlyList<string> All = [Personal, Business];
}

public static class PaymentMethods
{
    public const string Card = "card";
    public const string PayMoney = "pay_money";
    public const string Phone = "phone";
    public const string GiftCard = "gift_card";

    public static readonly IReadOnlyList<string> All = [Card, PayMoney, Phone, GiftCard];
}

public static class CardKinds
{
    public const string Credit = "credit";
    public const string Check = "check";

    public static readonly IReadOnlyList<string> All = [Credit, Check];
}

/// <summary>The kinds of ledger entries, as <c>GET .../transactions?kind=</c> names them.</summary>
public static class TransactionKinds
{
    public const string Charge = "charge";
    public const string Use = "use";
    public const string Refund = "refund";
    public const string FreeCash = "free_cash";
    public const string Adjustment = "adjustment";

    public static readonly IReadOnlyList<string> All = [Charge, Use, Refund, FreeCash, Adjustment];
}

/// <summary>The domain rules (docs/domain-rules.md) with their numbers.</summary>
public static class WalletLimits
{
    public const long MinimumCharge = 1_000;
    public const long MaximumCharge = 10_000_000;
    public const int MaximumCards = 3;
    public const long MinimumDailyLimit = 1_000;
    public const long MaximumDailyLimit = 100_000_000;
    public const long DailyLimitStep = 1_000;
    public const int BusinessRegistrationNumberLength = 10;

    /// <summary>One auto-pay charge is at most this much; a negative balance this deep is charged at once.</summary>
    public const long AutoPayChargeLimit = 500_000;
}
