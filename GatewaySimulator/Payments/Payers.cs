namespace AdWallet.GatewaySimulator.Payments;

/// <summary>The payers of the methods other than card: a suffix chooses the answer, so tests can name their outcome.</summary>
internal static class Payers
{
    public static string Behaviour(string? payer) => payer switch
    {
        not null when payer.EndsWith("decline", StringComparison.Ordinal) => DeclineCodes.CardDeclined,
        not null when payer.EndsWith("fail", StringComparison.Ordinal) => DeclineCodes.ProcessingError,
        _ => DeclineCodes.Approve,
    };
}
