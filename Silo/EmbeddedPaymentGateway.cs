using AdWallet.GatewaySimulator;
using AdWallet.Payments.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AdWallet.Silo;

/// <summary>
/// The embedded mode's payment gateway: when no <c>Payments:GatewayUrl</c> is given, the gateway simulator runs in
/// this process on a free loopback port, with its own SQLite file beside the platform's (<c>Data:Path/gateway.db</c>),
/// and the platform still reaches it over HTTP, as it would a real gateway. A hosted service registered before the
/// silo's: it starts before the silo, so before any payment, and stops after it. It logs through the host's logging,
/// under the host's filters.
/// </summary>
public sealed class EmbeddedPaymentGateway(
    IConfiguration configuration, IOptions<PaymentGatewayOptions> options, PaymentGatewayAddress address, ILoggerFactory hostLoggers) : IHostedService
{
    public const string FileName = "gateway.db";

    private GatewaySimulatorServer? _simulator;

    public GatewaySimulatorServer Simulator => _simulator ?? throw new InvalidOperationException("The embedded gateway has not started.");

    public static void AddTo(IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{PaymentGatewayOptions.SectionName}:{nameof(PaymentGatewayOptions.GatewayUrl)}"])) return;
        builder.Services.AddSingleton<PaymentGatewayAddress>();
        builder.Services.AddSingleton<EmbeddedPaymentGateway>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<EmbeddedPaymentGateway>());
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _simulator = await GatewaySimulatorServer.StartAsync(new GatewaySimulatorSettings
        {
            DataPath = DataFolder.Resolve(configuration),
            FileName = FileName,
            SecretKey = options.Value.GatewaySecretKey,
            WebhookSecret = options.Value.WebhookSecret,
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(new HostLoggerProvider(hostLoggers));
            },
        }, cancellationToken);
        address.Url = _simulator.BaseAddress;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_simulator is not null) await _simulator.StopAsync(cancellationToken);
    }
}
