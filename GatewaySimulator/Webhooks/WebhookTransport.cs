namespace AdWallet.GatewaySimulator.Webhooks;

/// <summary>
/// The HTTP client that delivers webhooks. An in-process host may give its own handler (tests deliver into an ASP.NET
/// Core TestServer this way); the handler stays the host's to dispose.
/// </summary>
internal sealed class WebhookTransport(HttpMessageHandler? handler) : IDisposable
{
    /// <summary>A receiver that does not answer in this time is treated as a failed delivery and tried again later.</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    public HttpClient Client { get; } = new(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
    {
        Timeout = DeliveryTimeout,
    };

    public void Dispose() => Client.Dispose();
}
