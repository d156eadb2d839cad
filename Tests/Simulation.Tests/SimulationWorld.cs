using System.Text.Json;
using AdWallet.Grains.Wallets;
using AdWallet.Persistence;
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

/// <summary>
/// The world a simulation runs in: an Orleans test cluster of three silos on one fresh SQLite file, on a fake clock,
/// with storage faults injected under every silo's provider and the gateway simulator reached over HTTP, whose webhooks
/// reach the wallets as the API's webhook endpoint would deliver them.
/// </summary>
public sealed class SimulationWorld : IAsyncDisposable
{
    public const int InitialSilos = 3;

    private readonly string _dataPath = Directory.CreateTempSubdirectory("adwallet-sim-").FullName;
    private InProcessTestCluster _cluster = null!;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));

    public StorageFaultPlan StorageFaults { get; } = new();

    public TestGateway Gateway { get; private set; } = null!;

    public IGrainFactory Grains => _cluster.Client;

    public IReadOnlyList<InProcessSiloHandle> Silos => _cluster.Silos;

    public static async Task<SimulationWorld> StartAsync()
    {
        var world = new SimulationWorld();
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
                silo.AddSqliteStorage().AddSqliteBulkStorage().UseSqliteReminderService();
                // Every silo's provider, with faults: the journaled side and Orleans' IGrainStorage side.
                services.AddKeyedSingleton(JournalStorageNames.Default, (provider, key) => new FaultyStorage(
                    provider.GetRequiredKeyedService<SqliteGrainStorage>(key), provider.GetRequiredKeyedService<SqliteGrainStorage>(key), world.StorageFaults));
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
