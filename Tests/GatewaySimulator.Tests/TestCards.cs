namespace AdWallet.GatewaySimulator.Tests;

/// <summary>The test cards of docs/gateway.md.</summary>
public static class TestCards
{
    public const string Good = "4242424242424242";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    public const string Expired = "4000000000000069";
    public const string DeclinedAtPayment = "4000000000000341";
    public const string ProcessingError = "4000000000000119";
    public const string OtherMastercard = "5555555555554444";
    public const string OtherAmex = "378282246310005";

    public static readonly string[] All = [Good, Declined, InsufficientFunds, Expired, DeclinedAtPayment, ProcessingError, OtherMastercard, OtherAmex];
}
