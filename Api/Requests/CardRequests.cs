using AdWallet.Grains.Wallets;

namespace AdWallet.Api.Requests;

public static class CardRequests
{
    public static readonly IntegerRule DailyLimit = new(WalletLimits.MinimumDailyLimit, WalletLimits.MaximumDailyLimit, WalletLimits.DailyLimitStep);

    public static AddCard AddCard(FieldReader body)
    {
        var command = new AddCard(
            body.RequiredString("number", TextRule.CardNumber),
            body.RequiredString("expiry", TextRule.CardExpiry),
            body.RequiredEnum("kind", CardKinds.All));
        body.ThrowIfInvalid();
        return command;
    }

    /// <summary>A null or absent <c>dailyLimit</c> means no limit.</summary>
    public static AutoPaySettings AutoPay(FieldReader body)
    {
        var settings = new AutoPaySettings(
            body.RequiredBoolean("enabled"),
            body.OptionalInteger("dailyLimit", DailyLimit));
        body.ThrowIfInvalid();
        return settings;
    }
}
