using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// Silo processes and an API process in cluster mode on a database of their own, with short membership timings. Every
/// child logs to a file under <see cref="LogFolder"/>; disposing kills every child and drops the database.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>
    /// How long a silo's death may take to show in <c>/v1/ops/cluster</c>, killed or frozen: the production tuning of
    /// <c>Silo/FailureDetection.cs</c> promises it, and the tests start the silos with it (no <c>Membership</c> override).
    /// </summary>
    public static readonly TimeSpan DetectionBound = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ScratchDatabase _database;
    private readonly Dictionary<int, ChildProcess> _silos = [];
    private readonly List<ChildProcess> _all = [];
    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
    private ChildProcess? _api;

    private readonly IReadOnlyList<string> _extraSiloArguments;

    private ProcessCluster(ScratchDatabase database, string logFolder, int apiPort, int gatewayPort, IReadOnlyList<string> extraSiloArguments)
    {
        _database = database;
        _extraSiloArguments = extraSiloArguments;
        LogFolder = logFolder;
        ApiAddress = new Uri($"http://127.0.0.1:{apiPort}");
        GatewayAddress = new Uri($"http://127.0.0.1:{gatewayPort}/");
    }

    public string LogFolder { get; }

    public Uri ApiAddress { get; }

    /// <summary>The one gateway simulator process every silo pays through; it survives every silo kill.</summary>
    public Uri GatewayAddress { get; }

    public Tokens Tokens { get; } = Tokens.WithRandomKey();

    public IReadOnlyCollection<int> SiloPorts => _silos.Keys;

    /// <summary>Starts <paramref name="siloCount"/> silos and the API on a new database of the server, and waits until the API is ready and sees every silo active.</summary>
    /// <param name="extraSiloArguments">More settings for every silo, e.g. <c>--Membership:...</c> to try other failure detection timings.</param>
    public static async Task<ProcessCluster> StartAsync(string serverConnectionString, int siloCount, string logFolder, TimeSpan bound,
        IReadOnlyList<string>? extraSiloArguments = null)
    {
        var database = await ScratchDatabase.CreateAsync(serverConnectionString);
        var siloPorts = FreePorts.TakeSiloPorts(siloCount);
        var ports = FreePorts.Take(2);
        var cluster = new ProcessCluster(database, logFolder, ports[0], ports[1], extraSiloArguments ?? []);
        try
        {
            cluster.StartGateway();
            foreach (var port in siloPorts) cluster.StartSilo(port);
            cluster.StartApi();
            await cluster.WaitUntilReadyAsync(bound);
            await cluster.WaitForSilosAsync(silos => silos.Count(s => s.Status == "active") == siloCount, bound, $"{siloCount} active silos");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The settings every silo and the API share: the database, and Orleans' response timeout (Messaging, the
    /// <c>SiloMessagingOptions</c> and <c>ClientMessagingOptions</c> name) spelled out though it is the platform's own.
    /// Membership timings are not overridden: the tests measure the production tuning of <c>FailureDetection</c>.
    /// </summary>
    private IEnumerable<string> CommonArguments(string dataFolder) =>
    [
        "--Cluster:Mode=postgres",
        $"--ConnectionStrings:Postgres={_database.ConnectionString}",
        $"--Data:Path={dataFolder}",
        $"--Payments:GatewayUrl={GatewayAddress}",
        "--Messaging:ResponseTimeout=00:00:10",
        "--Logging:Console:TimestampFormat=HH:mm:ss.fff ",
    ];

    /// <summary>Starts a silo listening on <paramref name="port"/> (again, after a kill).</summary>
    public ChildProcess StartSilo(int port)
    {
        var name = $"silo-{port}";
        var silo = ChildProcess.Start(name, BuildOutputs.SiloAssembly,
        [
            .. CommonArguments(Path.Combine(LogFolder, name)),
            $"--Silo:Port={port}",
            // Campaign spend is settled only when a campaign ends (or its budget runs out): the timer would otherwise
            // settle it too, and the test could not tell that an end reminder fired on a surviving silo.
            "--Billing:SettlementInterval=00:10:00",
            "--Billing:SettlementThreshold=1000000000",
            // A charge left pending by the kill, which the gateway never captured, fails soon instead of after two
            // minutes, so clients get a definite answer within the test.
            "--Payments:PendingGracePeriod=00:00:03",
            "--Payments:ReconciliationInterval=00:00:01",
            // Orleans' ReminderOptions.MinimumReminderPeriod: the reconciliation reminder above ticks every second.
            "--Reminders:MinimumReminderPeriod=00:00:01",
            .. _extraSiloArguments,
        ], Path.Combine(LogFolder, $"{name}.log"));
        _silos[port] = silo;
        _all.Add(silo);
        return silo;
    }

    private void StartGateway() =>
        _all.Add(ChildProcess.Start("gateway", BuildOutputs.GatewaySimulatorAssembly,
        [
            $"--urls={GatewayAddress}",
            $"--Simulator:DataPath={Path.Combine(LogFolder, "gateway")}",
            // The tests hold a capture's answer through /admin to kill a silo between capture and credit.
            "--Simulator:Admin:Enabled=true",
            $"--Simulator:WebhookUrl={new Uri(ApiAddress, "/v1/payment-webhooks")}",
            "--Logging:Console:TimestampFormat=HH:mm:ss.fff ",
        ], Path.Combine(LogFolder, "gateway.log")));

    private void StartApi()
    {
        _api = ChildProcess.Start("api", BuildOutputs.ApiAssembly,
        [
            .. CommonArguments(Path.Combine(LogFolder, "api")),
            $"--urls={ApiAddress}",
            $"--Auth:SigningKey={Tokens.SigningKey}",
        ], Path.Combine(LogFolder, "api.log"));
        _all.Add(_api);
    }

    /// <summary>Every payment the gateway captured, oldest first, read from its own HTTP API with the default merchant key.</summary>
    public async Task<List<JsonElement>> GatewayPaymentsAsync()
    {
        using var gateway = new HttpClient(_handler, disposeHandler: false) { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(15) };
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("sim_secret_key:"u8.ToArray()));
        var payments = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await gateway.GetFromJsonAsync<JsonElement>($"v1/payments?limit=1000{(after is null ? "" : $"&after={after}")}", Json);
            payments.AddRange(page.GetProperty("payments").EnumerateArray());
            after = page.GetProperty("next").GetString();
        }
        while (after is not null);
        return payments;
    }

    /// <summary>A client of the gateway simulator's <c>/admin</c> endpoints (fault injection).</summary>
    public HttpClient GatewayAdmin() => new(_handler, disposeHandler: false) { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>SIGKILLs the silo on <paramref name="port"/>.</summary>
    public void KillSilo(int port) => _silos[port].Kill();

    /// <summary>SIGSTOPs the silo on <paramref name="port"/>: its sockets stay open, it answers nothing.</summary>
    public void FreezeSilo(int port) => _silos[port].Freeze();

    /// <summary>SIGCONTs the silo on <paramref name="port"/> after <see cref="FreezeSilo"/>.</summary>
    public void ThawSilo(int port) => _silos[port].Thaw();

    public bool HasExited(int port) => _silos[port].HasExited;

    /// <summary>A client of the API acting as <paramref name="userId"/>; each attempt times out after 15 s.</summary>
    public HttpClient ClientFor(string userId, bool isOperator = false)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(userId, isOperator));
        return client;
    }

    /// <summary>The silos as <c>GET /v1/ops/cluster</c> lists them.</summary>
    public async Task<IReadOnlyList<SiloSeen>> SilosAsync(TimeSpan? timeout = null)
    {
        using var client = ClientFor("ops", isOperator: true);
        if (timeout is { } attemptTimeout) client.Timeout = attemptTimeout;
        var view = await client.GetFromJsonAsync<ClusterSeen>("/v1/ops/cluster", Json);
        return view!.Silos;
    }

    /// <param name="attemptTimeout">How long one <c>GET /v1/ops/cluster</c> may take; a slower one counts as not seen yet.</param>
    public Task<IReadOnlyList<SiloSeen>> WaitForSilosAsync(Func<IReadOnlyList<SiloSeen>, bool> done, TimeSpan bound, string what, TimeSpan? attemptTimeout = null) =>
        Waiting.Until(() => SilosAsync(attemptTimeout), done, bound, what, silos => string.Join(", ", silos));

    private async Task WaitUntilReadyAsync(TimeSpan bound)
    {
        using var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Waiting.Until(async () =>
        {
            if (_all.FirstOrDefault(child => child.HasExited) is { } exited)
                throw new InvalidOperationException($"{exited.Name} exited during start:{Environment.NewLine}{exited.Tail()}");
            using var response = await client.GetAsync("/health/ready");
            return (int)response.StatusCode;
        }, status => status == 200, bound, "GET /health/ready to answer 200");
    }

    /// <summary>The last lines of every child's log.</summary>
    public string DescribeLogs() => string.Join(Environment.NewLine, _all.Select(child => $"--- {child.LogPath}{Environment.NewLine}{child.Tail(15)}"));

    public async ValueTask DisposeAsync()
    {
        List<Exception> failures = [];
        foreach (var child in _all)
        {
            try
            {
                child.Dispose();
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }
        }
        _handler.Dispose();
        await _database.DisposeAsync();
        if (failures.Count > 0) throw new AggregateException("Stopping the cluster's processes failed.", failures);
    }
}

public sealed record ClusterSeen(IReadOnlyList<SiloSeen> Silos);

public sealed record SiloSeen(string Id, string Address, string Status, int Activations)
{
    public int Port => int.Parse(Address[(Address.LastIndexOf(':') + 1)..]);
}
