using AdWallet.Silo;
using Granary.Hosting;
using Granary.Membership;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Benchmarks.Harness;

/// <summary>
/// A cluster for one point: <c>n</c> platform silos, each a process of its own (<see cref="SiloProcess"/>), sharing a
/// fresh PostgreSQL schema, and in this process the cluster client the API uses in cluster mode
/// (<see cref="PlatformSiloExtensions.UsePlatformGrains"/>: the membership table read from PostgreSQL, TCP to the
/// silos). Disposing stops the client and the silos and drops the schema.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Silos and the client read the membership table this often (the default); views agree within it.</summary>
    private static readonly TimeSpan RefreshPeriod = ClusterMembershipOptions.DefaultRefreshPeriod;

    private readonly List<SiloProcess> _silos;
    private IHost? _client;

    private BenchCluster(string schema, List<SiloProcess> silos)
    {
        Schema = schema;
        _silos = silos;
    }

    public string Schema { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>The client's grain factory: every call goes over TCP to the silo that places the grain.</summary>
    public IGrainFactory Grains => Client.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silos as the client reads them from the membership table; activation counts as of each silo's last heartbeat.</summary>
    public IClusterOverview Overview => Client.Services.GetRequiredService<IClusterOverview>();

    private IHost Client => _client ?? throw new InvalidOperationException("The cluster client has not started.");

    /// <summary>Starts <paramref name="siloCount"/> silos and the client, and returns once the client sees them all active.</summary>
    public static async Task<BenchCluster> StartAsync(int siloCount)
    {
        var schema = BenchPostgres.NewSchemaName();
        var cluster = new BenchCluster(schema, []);
        try
        {
            // Together: the first to migrate the schema holds an advisory lock, the others wait for it.
            var ports = new HashSet<int>();
            while (ports.Count < siloCount) ports.Add(SiloProcess.FreePort());
            foreach (var port in ports) cluster._silos.Add(SiloProcess.Start(BenchPostgres.ConnectionString, schema, port));
            await cluster.WaitForSchemaAsync();
            cluster._client = await StartClientAsync(schema);
            await cluster.WaitForActiveSilosAsync(siloCount);
            // The silos read the table on their own period: let each see the others before any call is placed.
            await Task.Delay(2 * RefreshPeriod);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Active silos with their activation counts, ordered by address.</summary>
    public IReadOnlyList<SiloSummary> ActiveSilos() =>
        [.. Overview.GetSilos().Where(s => s.Status == SiloStatus.Active).OrderBy(s => s.Address, StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client is not null)
            {
                await _client.StopAsync();
                _client.Dispose();
            }
        }
        finally
        {
            try
            {
                await Task.WhenAll(_silos.Select(s => s.DisposeAsync().AsTask()));
            }
            finally
            {
                await BenchPostgres.DropSchemaAsync(Schema);
            }
        }
    }

    private static async Task<IHost> StartClientAsync(string schema)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{PlatformClusterOptions.SectionName}:{nameof(PlatformClusterOptions.Mode)}"] = PlatformClusterOptions.PostgresMode,
            ["ConnectionStrings:Postgres"] = BenchPostgres.ConnectionString,
            ["Postgres:Schema"] = schema,
        });
        builder.UsePlatformGrains();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The client opens the schema without migrating it: wait until a silo has created it.</summary>
    private async Task WaitForSchemaAsync()
    {
        await WaitAsync(async () => await BenchPostgres.HasMembershipTableAsync(Schema), "no silo created the schema");
    }

    private async Task WaitForActiveSilosAsync(int siloCount)
    {
        await WaitAsync(() => Task.FromResult(ActiveSilos().Count >= siloCount), $"fewer than {siloCount} silos became active");
    }

    private async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (!await condition())
        {
            if (_silos.FirstOrDefault(s => s.HasExited) is { } exited)
                throw new InvalidOperationException($"Silo process {exited.Id} exited while the cluster started:\n{exited.LastOutput}");
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The cluster did not start in {StartTimeout.TotalSeconds:0} s: {failure}. Last output of the first silo:\n{_silos[0].LastOutput}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
