namespace AdWallet.Cluster.Tests;

/// <summary>
/// Where the cluster tests find their PostgreSQL server: <c>ADWALLET_TEST_POSTGRES</c>, an Npgsql connection string (test.sh
/// sets it). Without it the tests fail, saying so, unless <c>ADWALLET_SKIP_POSTGRES=1</c> asks to skip them.
/// </summary>
public static class PostgresEnvironment
{
    public const string ConnectionStringVariable = "ADWALLET_TEST_POSTGRES";

    public const string SkipVariable = "ADWALLET_SKIP_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Why the cluster tests are skipped, or null when they run.</summary>
    public static string? SkipReason =>
        ConnectionString is null && Environment.GetEnvironmentVariable(SkipVariable)?.Trim() == "1"
            ? $"{SkipVariable}=1 and {ConnectionStringVariable} is not set: the multi-process cluster tests, which need PostgreSQL, are skipped."
            : null;

    /// <summary>The connection string, or an exception that tells how to provide one.</summary>
    public static string RequireConnectionString() => ConnectionString ?? throw new InvalidOperationException(
        $"{ConnectionStringVariable} is not set. The multi-process cluster tests need a PostgreSQL server: set {ConnectionStringVariable} to an " +
        "Npgsql connection string, for example Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=adwallet_test " +
        $"(test.sh installs and starts such a server), or set {SkipVariable}=1 to skip these tests.");
}

/// <summary>A test that needs the PostgreSQL server of <see cref="PostgresEnvironment"/>: skipped when it says so.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresEnvironment.SkipReason is { } reason) Skip = reason;
    }
}
