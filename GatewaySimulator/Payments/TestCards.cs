using System.Collections.Frozen;

namespace AdWallet.GatewaySimulator.Payments;

/// <summary>The test cards of docs/gateway.md: what each answers at registration and at payment.</summary>
internal static class TestCards
{
    /// <param name="AtRegistration">The decline code of a registration, or null when it succeeds.</param>
    /// <param name="AtPayment">What its payments answer: <see cref="DeclineCodes.Approve"/> or a decline code.</param>
    internal sealed record Behaviour(string? AtRegistration, string AtPayment);

    private static readonly Behaviour Approves = new(null, DeclineCodes.Approve);

    private static readonly FrozenDictionary<string, Behaviour> Special = new Dictionary<string, Behaviour>
    {
        ["4242424242424242"] = Approves,
        ["4000000000000002"] = new(DeclineCodes.CardDeclined, DeclineCodes.CardDeclined),
        ["4000000000009995"] = new(null, DeclineCodes.InsufficientFunds),
        ["4000000000000069"] = new(DeclineCodes.ExpiredCard, DeclineCodes.ExpiredCard),
        ["4000000000000341"] = new(null, DeclineCodes.CardDeclined),
        ["4000000000000119"] = new(DeclineCodes.ProcessingError, DeclineCodes.ProcessingError),
    }.ToFrozenDictionary();

    public static Behaviour For(string number) => Special.GetValueOrDefault(number, Approves);

    public static string Brand(string number) => number switch
    {
        ['4', ..] => "visa",
        ['5', ..] => "mastercard",
        ['3', '4' or '7', ..] => "amex",
        _ => "card",
    };

    public static string Last4(string number) => number[^4..];
}
