namespace AdWallet.Payments.Http;

/// <summary>
/// Where the gateway is: <c>Payments:GatewayUrl</c>, or, in the embedded mode, the simulator the host starts, whose
/// address is known only once it listens (before the silo starts, and so before any payment).
/// </summary>
public sealed class PaymentGatewayAddress
{
    private Uri? _url;

    public Uri? Url
    {
        get => Volatile.Read(ref _url);
        set => Volatile.Write(ref _url, value);
    }
}
