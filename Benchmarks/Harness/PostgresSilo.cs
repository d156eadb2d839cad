namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// The point's silo in cluster mode on PostgreSQL (<c>Cluster:Mode=postgres</c>: grain state, reminders and membership
/// in a scratch database of its own, created before the silo starts and dropped after it stopped), on free ports.
/// </summary>
internal static class PostgresSilo
{
    /// <summary>The silo's pool: its writer, its reads and Orleans' membership and reminders share a small server.</summary>
    public const int MaxPoolSize = 16;

    public static async Task<IAsyncDisposable?> ConfigureAsync(IDictionary<string, string?> configuration)
    {
        var database = await BenchPostgres.CreateAsync();
        configuration["Cluster:Mode"] = "postgres";
        configuration["ConnectionStrings:Postgres"] = database.ConnectionString(MaxPoolSize);
        configuration["Silo:Port"] = "0";
        return database;
    }
}
