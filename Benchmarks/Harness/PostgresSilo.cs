using AdWallet.GatewaySimulator;
using Microsoft.Extensions.Logging;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// The point's silo in cluster mode on PostgreSQL (<c>Cluster:Mode=postgres</c>: grain state, reminders and membership
/// in a scratch database of its own, created before the silo starts and dropped after it stopped), on free ports. A
/// cluster's silos reach the payment gateway at <c>Payments:GatewayUrl</c>: the simulator, started in the harness's
/// process on a folder of its own, as the cluster suite does.
/// </summary>
internal static class PostgresSilo
{
    /// <summary>The silo's pool: its writer, its reads and Orleans' membership and reminders share a small server.</summary>
    public const int MaxPoolSize = 16;

    /// <summary>The results file's paragraph on how far to trust these figures.</summary>
    public const string SharedMachineNote =
        "Short runs on a SHARED 2-core machine: other engineers' builds and test runs (some with PostgreSQL silos of their own on the " +
        "same server) took cores during the points (the machine CPU column), so the absolute figures are noisy and low; the " +
        "platform and its baseline were measured minutes apart in the same run, so read the ratios. Each point has a scratch " +
        "database (adwallet_bench_<random>), dropped after it.";

    public static async Task<IAsyncDisposable?> ConfigureAsync(IDictionary<string, string?> configuration)
    {
        var database = await BenchPostgres.CreateAsync();
        var gatewayFolder = Directory.CreateTempSubdirectory("adwallet-bench-gateway-").FullName;
        var gateway = await GatewaySimulatorServer.StartAsync(new GatewaySimulatorSettings
        {
            DataPath = gatewayFolder,
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        configuration["Cluster:Mode"] = "postgres";
        configuration["ConnectionStrings:Postgres"] = database.ConnectionString(MaxPoolSize);
        configuration["Silo:Port"] = "0";
        configuration["Payments:GatewayUrl"] = gateway.BaseAddress.ToString();
        return new Point(database, gateway, gatewayFolder);
    }

    /// <summary>What a point's silo needed, released after the silo has stopped.</summary>
    private sealed class Point(BenchPostgres database, GatewaySimulatorServer gateway, string gatewayFolder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await gateway.DisposeAsync();
            Directory.Delete(gatewayFolder, recursive: true);
            await database.DisposeAsync();
        }
    }
}
