namespace AdWallet.TestSupport;

/// <summary>The gateway simulator's test cards (docs/gateway.md): each number behaves the same every time.</summary>
public static class TestCards
{
    public const string Succeeding = "4242424242424242";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    public const string Expired = "4000000000000069";
    public const string RegistersButDeclines = "4000000000000341";
    public const string ProcessingError = "4000000000000119";
}
