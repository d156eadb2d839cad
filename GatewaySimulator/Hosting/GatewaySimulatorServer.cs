using AdWallet.GatewaySimulator.Faults;
using AdWallet.GatewaySimulator.Webhooks;

namespace AdWallet.GatewaySimulator;

/// <summary>
/// The simulator running inside another process (the API's embedded mode, tests): the same app as its own process, on
/// Kestrel at a loopback port, still reached over HTTP. Stopping it closes its file; a new one started on the same
/// file finds every billing key, payment, cancel and undelivered webhook.
/// </summary>
public sealed class GatewaySimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private GatewaySimulatorServer(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Urls.First() + "/");
        Faults = app.Services.GetRequiredService<GatewayFaults>();
        Webhooks = app.Services.GetRequiredService<WebhookTarget>();
    }

    /// <summary>Where the simulator listens, such as <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    public GatewayFaults Faults { get; }

    public WebhookTarget Webhooks { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewaySimulatorServer> StartAsync(GatewaySimulatorSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var app = GatewaySimulatorApp.Create([], builder =>
        {
            // Only the settings: the host's own appsettings and environment (its urls, its Kestrel endpoints) are not the simulator's.
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings.ToConfiguration());
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
            if (settings.TimeProvider is { } time)
                builder.Services.AddSingleton(time);
            if (settings.WebhookHandler is { } handler)
                builder.Services.AddSingleton(_ => new WebhookTransport(handler));
            settings.ConfigureLogging?.Invoke(builder.Logging);
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new GatewaySimulatorServer(app);
    }

    /// <summary>Stops listening, finishes the deliveries in flight and closes the file. Only the first call does anything.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        try
        {
            await _app.StopAsync(cancellationToken);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
