using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using AdWallet.GatewaySimulator;
using AdWallet.GatewaySimulator.Faults;

namespace AdWallet.TestSupport;

/// <summary>
/// The payment gateway of a test: the real simulator, in the test's process but reached over HTTP, on its own SQLite
/// file. It outlives the platform's silos, as a real gateway does, and can itself be stopped (the gateway is
/// unreachable: connections are refused) and started again on the same file.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    public const string SecretKey = "test_gateway_secret";
    public const string WebhookSecret = "test_webhook_secret";

    private readonly string _dataPath;
    private readonly TimeProvider? _clock;
    private readonly HttpMessageHandler? _webhookHandler;
    private GatewaySimulatorServer? _server;

    private TestGateway(string dataPath, TimeProvider? clock, HttpMessageHandler? webhookHandler)
    {
        _dataPath = dataPath;
        _clock = clock;
        _webhookHandler = webhookHandler;
    }

    /// <summary>Where the platform reaches it; the same across restarts of the gateway.</summary>
    public Uri Url { get; private set; } = null!;

    public GatewaySimulatorServer Server => _server ?? throw new InvalidOperationException("The test gateway is stopped.");

    public GatewayFaults Faults => Server.Faults;

    /// <summary>The platform's configuration that points at this gateway.</summary>
    public IEnumerable<KeyValuePair<string, string?>> PlatformSettings =>
    [
        new("Payments:GatewayUrl", Url.ToString()),
        new("Payments:GatewaySecretKey", SecretKey),
        new("Payments:WebhookSecret", WebhookSecret),
    ];

    public static async Task<TestGateway> StartAsync(string dataPath, TimeProvider? clock = null, HttpMessageHandler? webhookHandler = null)
    {
        var gateway = new TestGateway(dataPath, clock, webhookHandler);
        await gateway.StartServerAsync(port: 0);
        return gateway;
    }

    /// <summary>Stops the gateway: until <see cref="StartAgainAsync"/>, every connection to it is refused.</summary>
    public async Task StopAsync()
    {
        if (_server is null) return;
        await _server.DisposeAsync();
        _server = null;
    }

    /// <summary>Starts the gateway again on the same file and port: it remembers every card, payment and cancel.</summary>
    public Task StartAgainAsync() => StartServerAsync(Url.Port);

    public void EnqueueFault(CaptureFault fault) => Faults.EnqueueCaptures(fault);

    /// <summary>From now on the gateway sends no webhooks: only answers, retries and reconciliation settle payments.</summary>
    public void DropWebhooks() => Faults.SetStanding(Faults.Standing with { DropWebhooks = true });

    /// <summary>Completes when a payment told to hold its answer has captured and begun to hold.</summary>
    public Task HoldStarted => Faults.HoldStarted;

    public void ReleaseHolds() => _server?.Faults.ReleaseHolds();

    /// <summary>Every payment the gateway captured, oldest first, read from its HTTP API.</summary>
    public async Task<IReadOnlyList<GatewayPayment>> PaymentsAsync(string? orderId = null)
    {
        using var http = Client();
        var payments = new List<GatewayPayment>();
        string? after = null;
        do
        {
            var query = orderId is null ? $"v1/payments?limit=1000{(after is null ? "" : $"&after={after}")}" : $"v1/payments?orderId={Uri.EscapeDataString(orderId)}";
            var page = await http.GetFromJsonAsync<GatewayPaymentPage>(query) ?? throw new InvalidOperationException("No page.");
            payments.AddRange(page.Payments);
            after = orderId is null ? page.Next : null;
        }
        while (after is not null);
        return payments;
    }

    public async Task<int> CaptureCountAsync() => (await PaymentsAsync()).Count;

    /// <summary>What the gateway returned to the payer for a payment reference, over all its captures.</summary>
    public async Task<long> RefundedForAsync(string orderId) => (await PaymentsAsync(orderId)).Sum(payment => payment.CancelledAmount);

    public HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretKey + ":")));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        _server?.Faults.ReleaseHolds();
        await StopAsync();
    }

    private async Task StartServerAsync(int port)
    {
        _server = await GatewaySimulatorServer.StartAsync(new GatewaySimulatorSettings
        {
            DataPath = _dataPath,
            SecretKey = SecretKey,
            WebhookSecret = WebhookSecret,
            AdminEnabled = true,
            Port = port,
            TimeProvider = _clock,
            WebhookHandler = _webhookHandler,
            Configuration = new Dictionary<string, string?>
            {
                ["Simulator:Webhooks:FirstRetryDelay"] = "00:00:00.100",
                ["Simulator:Webhooks:MaxRetryDelay"] = "00:00:02",
            },
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        Url = _server.BaseAddress;
    }
}

public sealed record GatewayPayment(string PaymentKey, string OrderId, long Amount, long CancelledAmount, DateTimeOffset ApprovedAt);

public sealed record GatewayPaymentPage(List<GatewayPayment> Payments, string? Next);
