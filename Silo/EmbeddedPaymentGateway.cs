using AdWallet.GatewaySimulator;
using AdWallet.Payments.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AdWallet.Silo;

/// <summary>
/// The embedded mode's payment gateway: when no <c>Payments:GatewayUrl</c> is given, the gateway simulator runs in
/// this process on a free loopback port, with its own SQLite file beside the platform's (<c>Data:Path/gateway.db</c>),
/// and the platform still reaches it over HTTP, as it would a real gateway. It outlives the silo in the host: started
/// before it, stopped after it.
/// </summary>
public sealed class EmbeddedPaymentGateway(GatewaySimulatorServer simulator) : IHostedService
{
    public const string FileName = "gateway.db";

    public GatewaySimulatorServer Simulator { get; } = simulator;

    /// <summary>Starts the simulator now, while the host is being built, so that its address is configuration like any other.</summary>
    public static void AddTo(IHostApplicationBuilder builder)
    {
        var urlKey = $"{PaymentGatewayOptions.SectionName}:{nameof(PaymentGatewayOptions.GatewayUrl)}";
        if (!string.IsNullOrWhiteSpace(builder.Configuration[urlKey])) return;
        var section = builder.Configuration.GetSection(PaymentGatewayOptions.SectionName);
        var settings = new GatewaySimulatorSettings
        {
            DataPath = DataFolder.Resolve(builder.Configuration),
            FileName = FileName,
            SecretKey = section[nameof(PaymentGatewayOptions.GatewaySecretKey)] is { Length: > 0 } key ? key : PaymentGatewayOptions.DefaultSecretKey,
            WebhookSecret = section[nameof(PaymentGatewayOptions.WebhookSecret)] is { Length: > 0 } secret ? secret : PaymentGatewayOptions.DefaultWebhookSecret,
        };
        var simulator = GatewaySimulatorServer.StartAsync(settings).GetAwaiter().GetResult();
        builder.Configuration[urlKey] = simulator.BaseAddress.ToString();
        var embedded = new EmbeddedPaymentGateway(simulator);
        builder.Services.AddSingleton(embedded);
        builder.Services.AddHostedService(_ => embedded);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await Simulator.StopAsync(cancellationToken);
}
