namespace Granary.Tests.Storage;

/// <summary>
/// Where the PostgreSQL tests find their server: <c>GRANARY_TEST_POSTGRES</c>, an Npgsql connection string (CI sets it).
/// Without it the tests fail, saying so, unless <c>GRANARY_SKIP_POSTGRES=1</c> asks to skip them.
/// </summary>
public static class PostgreSqlTestEnvironment
{
    public const string ConnectionStringVariable = "GRANARY_TEST_POSTGRES";

    public const string SkipVariable = "GRANARY_SKIP_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Why the PostgreSQL tests are skipped, or null when they run.</summary>
    public static string? SkipReason =>
        ConnectionString is null && Environment.GetEnvironmentVariable(SkipVariable)?.Trim() == "1"
            ? $"{SkipVariable}=1 and {ConnectionStringVariable} is not set: the PostgreSQL provider tests are skipped."
            : null;

    /// <summary>The connection string, or an exception that tells how to provide one.</summary>
    public static string RequireConnectionString() => ConnectionString ?? throw new InvalidOperationException(
        $"{ConnectionStringVariable} is not set. The PostgreSQL provider tests need a PostgreSQL server: set {ConnectionStringVariable} to an " +
        "Npgsql connection string, for example Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=granary_test " +
        $"(.ci/run installs and starts such a server), or set {SkipVariable}=1 to skip these tests.");
}

/// <summary>Marks a test class that needs the PostgreSQL server of <see cref="PostgreSqlTestEnvironment"/>; see <see cref="GranaryTestFramework"/>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class PostgreSqlTestsAttribute : Attribute;
