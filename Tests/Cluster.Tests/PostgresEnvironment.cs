namespace AdWallet.Cluster.Tests;

/// <summary>
/// Where the cluster tests find their PostgreSQL server: <c>ADWALLET_TEST_POSTGRES</c>, an Npgsql connection string (test.sh
/// sets it). Without it the tests fail, saying so: they are never skipped.
/// </summary>
public static class PostgresEnvironment
{
    public const string ConnectionStringVariable = "ADWALLET_TEST_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The connection string, or an exception that tells how to provide one.</summary>
    public static string RequireConnectionString() => ConnectionString ?? throw new InvalidOperationException(
        $"{ConnectionStringVariable} is not set. The multi-process cluster tests need a PostgreSQL server: set {ConnectionStringVariable} to an " +
        "Npgsql connection string, for example Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=adwallet_test " +
        "(test.sh installs and starts such a server).");
}
