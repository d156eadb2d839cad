using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace AdWallet.GatewaySimulator.Tests;

/// <summary>
/// A <see cref="GatewaySimulatorServer"/> on a temp folder, reached over real HTTP with the merchant's key, its logs
/// recorded. <see cref="RestartAsync"/> stops it and starts a new one on the same file; the folder goes at dispose.
/// </summary>
public sealed class TestSimulator : IAsyncDisposable
{
    public const string SecretKey = "test_secret";
    public const string WebhookSecret = "test_webhook_secret";

    private readonly GatewaySimulatorSettings _settings;

    private TestSimulator(GatewaySimulatorSettings settings, GatewaySimulatorServer server, RecordingLoggerProvider logs)
    {
        _settings = settings;
        Logs = logs;
        Server = server;
        Client = NewClient(server);
    }

    public GatewaySimulatorServer Server { get; private set; }

    /// <summary>Sends the merchant's secret key.</summary>
    public HttpClient Client { get; private set; }

    /// <summary>Every line logged, across restarts.</summary>
    public RecordingLoggerProvider Logs { get; }

    public string DataPath => _settings.DataPath;

    public static async Task<TestSimulator> StartAsync(
        WebhookReceiver? receiver = null, Func<GatewaySimulatorSettings, GatewaySimulatorSettings>? customize = null)
    {
        var logs = new RecordingLoggerProvider();
        var settings = new GatewaySimulatorSettings
        {
            DataPath = Path.Combine(Path.GetTempPath(), "gateway-sim-tests", Guid.NewGuid().ToString("N")),
            SecretKey = SecretKey,
            WebhookSecret = WebhookSecret,
            AdminEnabled = true,
            WebhookUrl = receiver is null ? null : WebhookReceiver.Url,
            WebhookHandler = receiver?.Handler,
            Configuration = new Dictionary<string, string?>
            {
                // Redeliveries within a test's patience.
                ["Simulator:Webhooks:FirstRetryDelay"] = "00:00:00.050",
                ["Simulator:Webhooks:MaxRetryDelay"] = "00:00:00.200",
            },
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(logs);
            },
        };
        settings = customize?.Invoke(settings) ?? settings;
        var server = await GatewaySimulatorServer.StartAsync(settings);
        return new TestSimulator(settings, server, logs);
    }

    /// <summary>Stops the simulator and starts another on the same file, with the settings changed by <paramref name="change"/>.</summary>
    public async Task RestartAsync(Func<GatewaySimulatorSettings, GatewaySimulatorSettings>? change = null)
    {
        await Server.StopAsync();
        Client.Dispose();
        Server = await GatewaySimulatorServer.StartAsync(change?.Invoke(_settings) ?? _settings);
        Client = NewClient(Server);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(DataPath))
            Directory.Delete(DataPath, recursive: true);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    /// <summary>Posts raw text as JSON, for bodies no serializer would write.</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<string> RegisterAsync(string cardNumber)
    {
        var answer = await OkAsync(await PostAsync("/v1/billing-keys", new { cardNumber, expiry = "12/29" }));
        return answer.GetProperty("billingKey").GetString()!;
    }

    public async Task<JsonElement> PayAsync(object body) => await OkAsync(await PostAsync("/v1/payments", body));

    public async Task<JsonElement[]> ByOrderAsync(string orderId)
    {
        var answer = await OkAsync(await Client.GetAsync($"/v1/payments?orderId={Uri.EscapeDataString(orderId)}"));
        return [.. answer.GetProperty("payments").EnumerateArray()];
    }

    public async Task<JsonElement> StatsAsync() => await OkAsync(await Client.GetAsync("/admin/stats"));

    public static object Card(string orderId, long amount = 10_000, string number = TestCards.Good) =>
        new { orderId, amount, method = "card", card = new { number, expiry = "12/29" } };

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Asserts a problem answer with <paramref name="status"/> and <paramref name="code"/>.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private static HttpClient NewClient(GatewaySimulatorServer server)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretKey + ":")));
        return client;
    }
}
