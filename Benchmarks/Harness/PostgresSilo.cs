namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// The point's silo in cluster mode on PostgreSQL (<c>Cluster:Mode=postgres</c>: grain state, reminders and membership
/// in a scratch database of its own, created before the silo starts and dropped after it stopped), on free ports.
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
        configuration["Cluster:Mode"] = "postgres";
        configuration["ConnectionStrings:Postgres"] = database.ConnectionString(MaxPoolSize);
        configuration["Silo:Port"] = "0";
        return database;
    }
}
