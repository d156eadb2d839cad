using System.Text.Json;
using AdWallet.Grains.Wallets;
using AdWallet.Persistence;
using AdWallet.Persistence.PostgreSql;
using AdWallet.Persistence.Sqlite;
using AdWallet.Silo;
using AdWallet.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.Storage;
using Orleans.TestingHost;

namespace AdWallet.Simulation.Tests;

/// <summary>Where a world keeps its grains' state, ledgers, sets and reminders.</summary>
public enum SimulationStorage
{
    /// <summary>The embedded providers: one fresh SQLite file.</summary>
    Sqlite,

    /// <summary>The cluster providers: a fresh schema of the PostgreSQL server in <c>ADWALLET_TEST_POSTGRES</c> (or the local default).</summary>
    Postgres,
}

/// <summary>
/// The world a simulation runs in: an Orleans test cluster of three silos on one fresh SQLite file (or PostgreSQL schema), on a fake clock,
/// with storage faults injected under every silo's provider and the gateway simulator reached over HTTP, whose webhooks
/// reach the wallets as the API's webhook endpoint would deliver them.
/// </summary>
public sealed class SimulationWorld : IAsyncDisposable
{
    public const int InitialSilos = 3;

    /// <summary>The PostgreSQL server of the tests: the variable the other PostgreSQL tests read, or the local default.</summary>
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("ADWALLET_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=adwallet_test";

    private readonly string _dataPath = Directory.CreateTempSubdirectory("adwallet-sim-").FullName;
    private readonly string? _schema;
    private InProcessTestCluster _cluster = null!;

    private SimulationWorld(SimulationStorage storage) =>
        _schema = storage == SimulationStorage.Postgres ? "sim_" + Guid.NewGuid().ToString("N")[..12] : null;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));

    public StorageFaultPlan StorageFaults { get; } = new();

    public TestGateway Gateway { get; private set; } = null!;

    public IGrainFactory Grains => _cluster.Client;

    public IReadOnlyList<InProcessSiloHandle> Silos => _cluster.Silos;

    public static async Task<SimulationWorld> StartAsync(SimulationStorage storage = SimulationStorage.Sqlite)
    {
        var world = new SimulationWorld(storage);
        try
        {
            world.Gateway = await TestGateway.StartAsync(world._dataPath, world.Clock, new WebhookDelivery(() => world.Grains));
            var settings = new Dictionary<string, string?>(world.Gateway.PlatformSettings)
            {
                ["Data:Path"] = world._dataPath,
                // Short gateway timeouts, so that an answer held past them leaves a charge pending, as in production.
                ["Payments:AttemptTimeout"] = "00:00:00.500",
                ["Payments:TotalTimeout"] = "00:00:01",
                ["Payments:MaxRetries"] = "1",
                ["Payments:ReconciliationInterval"] = "00:01:00",
                ["Payments:PendingGracePeriod"] = "00:02:00",
                ["Billing:SettlementInterval"] = "00:00:10",
                ["Billing:SettlementThreshold"] = "50000",
            };
            if (world._schema is not null)
            {
                settings["ConnectionStrings:Postgres"] = PostgresConnectionString;
                settings["Postgres:Schema"] = world._schema;
            }
            var builder = new InProcessTestClusterBuilder(InitialSilos);
            builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
            builder.ConfigureSilo((_, silo) =>
            {
                var services = silo.Services;
                services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
                services.AddSingleton<TimeProvider>(world.Clock);
                services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, world.Clock);
                services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, world.Clock);
                services.AddPlatformServices(silo.Configuration);
                services.AddOptions<ReminderOptions>().Configure(reminders =>
                {
                    reminders.ReminderLoadingWindow = TimeSpan.FromDays(3);
                    reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
                });
                services.Configure<ClusterMembershipOptions>(FailureDetection.Apply);
                services.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
                // Every silo's provider, with faults: the journaled side and Orleans' IGrainStorage side.
                if (world._schema is null)
                {
                    silo.AddSqliteStorage().AddSqliteBulkStorage().UseSqliteReminderService();
                    services.AddKeyedSingleton(JournalStorageNames.Default, (provider, key) => new FaultyStorage(
                        provider.GetRequiredKeyedService<SqliteGrainStorage>(key), provider.GetRequiredKeyedService<SqliteGrainStorage>(key), world.StorageFaults));
                }
                else
                {
                    silo.AddPostgreSqlStorage().AddPostgreSqlBulkStorage().UsePostgreSqlReminderService();
                    services.AddKeyedSingleton(JournalStorageNames.Default, (provider, key) => new FaultyStorage(
                        provider.GetRequiredKeyedService<PostgreSqlGrainStorage>(key), provider.GetRequiredKeyedService<PostgreSqlGrainStorage>(key), world.StorageFaults));
                }
                services.AddKeyedSingleton<IJournalStorage>(JournalStorageNames.Default, (provider, key) => provider.GetRequiredKeyedService<FaultyStorage>(key));
                services.AddKeyedSingleton<IGrainStorage>(JournalStorageNames.Default, (provider, key) => provider.GetRequiredKeyedService<FaultyStorage>(key));
            });
            builder.ConfigureClient(client => client.Services.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10)));
            world._cluster = builder.Build();
            await world._cluster.DeployAsync();
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills a silo as a crash would: its activations vanish mid-turn, its writes in flight may or may not commit.</summary>
    public Task KillSiloAsync(InProcessSiloHandle silo) => _cluster.KillSiloAsync(silo);

    public Task StopSiloAsync(InProcessSiloHandle silo) => _cluster.StopSiloAsync(silo);

    public async Task AddSiloAsync()
    {
        await _cluster.StartAdditionalSiloAsync();
        await _cluster.WaitForLivenessToStabilizeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.ReleaseHolds();
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (Gateway is not null) await Gateway.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_schema is not null)
        {
            await using var connection = new Npgsql.NpgsqlConnection(PostgresConnectionString);
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(_dataPath, recursive: true); } catch (IOException) { }
    }

    /// <summary>Delivers the gateway's webhooks to the wallet their order id names, as <c>POST /v1/payment-webhooks</c> does.</summary>
    private sealed class WebhookDelivery(Func<IGrainFactory> grains) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var orderId = body.RootElement.GetProperty("data").GetProperty("orderId").GetString()!;
            try
            {
                await grains().GetGrain<IWalletGrain>(orderId[..orderId.IndexOf('/')]).ReconcilePayment(orderId);
                return new HttpResponseMessage(System.Net.HttpStatusCode.NoContent);
            }
            catch (Exception)
            {
                // A webhook the platform could not take is delivered again by the gateway.
                return new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
            }
        }
    }
}
