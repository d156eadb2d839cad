using AdWallet.Silo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AdWallet.Api.Payments;

/// <summary>
/// In embedded mode the gateway simulator learns where to send its webhooks only once the API listens: its own first
/// address, with a wildcard host read as the loopback. Elsewhere the gateway is configured with the API's public URL.
/// </summary>
internal static class EmbeddedGatewayWebhooks
{
    public const string Path = "v1/payment-webhooks";

    public static void SendEmbeddedGatewayWebhooksHere(this WebApplication app)
    {
        if (app.Services.GetService<EmbeddedPaymentGateway>() is not { } embedded) return;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses?.FirstOrDefault() is not { } address) return;
            var listening = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
            if (listening.Host is "0.0.0.0" or "[::]" or "::") listening.Host = "localhost";
            listening.Path = Path;
            embedded.Simulator.Webhooks.SetUrl(listening.Uri);
        });
    }
}
