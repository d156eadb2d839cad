namespace AdWallet.GatewaySimulator.Payments;

/// <summary>Opaque identifiers with a prefix that says what they name (bk_, pay_, evt_), as gateways issue them.</summary>
internal static class Ids
{
    public static string New(string prefix) => $"{prefix}_{Guid.NewGuid():N}";
}
