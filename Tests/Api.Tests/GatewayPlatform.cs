using AdWallet.TestSupport;

namespace AdWallet.Api.Tests;

/// <summary>
/// The embedded API with a gateway simulator of the test's own, in this process but reached over HTTP, whose webhooks
/// are delivered into the API's test server: the whole round trip of a payment, with the gateway's faults at hand.
/// Every gateway call is made once (no retries), so that a fault reaches the wallet as it is.
/// </summary>
public sealed class GatewayPlatform : IAsyncDisposable
{
    private readonly LateBoundHandler _webhooks;

    private GatewayPlatform(EmbeddedPlatform platform, TestGateway gateway, LateBoundHandler webhooks)
    {
        Platform = platform;
        Gateway = gateway;
        _webhooks = webhooks;
    }

    public EmbeddedPlatform Platform { get; }

    public TestGateway Gateway { get; }

    public static async Task<GatewayPlatform> StartAsync(params (string Key, string Value)[] settings)
    {
        var dataPath = EmbeddedPlatform.NewDataPath();
        var webhooks = new LateBoundHandler();
        var gateway = await TestGateway.StartAsync(Path.Combine(dataPath, "gateway"), webhookHandler: webhooks);
        var platform = EmbeddedPlatform.WithSettings([.. gateway.PlatformSettings.Select(s => (s.Key, s.Value!)), ("Payments:MaxRetries", "0"), .. settings]);
        webhooks.Target = platform.Server.CreateHandler();
        gateway.Server.Webhooks.SetUrl(new Uri(platform.Server.BaseAddress, "v1/payment-webhooks"));
        return new GatewayPlatform(platform, gateway, webhooks);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Platform.DisposeAsync();
        _webhooks.Dispose();
    }

    /// <summary>Delivers to a handler known only once the test server exists, after the gateway has started.</summary>
    private sealed class LateBoundHandler : HttpMessageHandler
    {
        private HttpMessageInvoker? _target;

        public HttpMessageHandler Target
        {
            set => _target = new HttpMessageInvoker(value, disposeHandler: false);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (_target ?? throw new HttpRequestException("The platform is not listening yet.")).SendAsync(request, cancellationToken);
    }
}
