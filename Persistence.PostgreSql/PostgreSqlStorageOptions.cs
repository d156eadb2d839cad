using Npgsql;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// Where the cluster's PostgreSQL database is and how writes are batched. The connection string is
/// <c>ConnectionStrings:Postgres</c>; the rest is bound from the <c>Postgres</c> section.
/// </summary>
/// <remarks>
/// One database holds everything: grain state, and Orleans' ADO.NET clustering and reminder tables. Orleans' queries
/// name their tables unqualified, so every table lives in the schema that the connection's search path names first:
/// <see cref="Schema"/> when it is set (it replaces any <c>Search Path</c> of the connection string, for this provider
/// and for the Orleans providers alike), otherwise whatever the connection string or the server makes it (normally
/// <c>public</c>).
/// </remarks>
public sealed class PostgreSqlStorageOptions
{
    public const string SectionName = "Postgres";

    /// <summary>The name under <c>ConnectionStrings</c>: the key is <c>ConnectionStrings:Postgres</c>.</summary>
    public const string ConnectionStringName = "Postgres";

    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    public const string SchemaKey = SectionName + ":" + nameof(Schema);

    public const string MaxBatchSizeKey = SectionName + ":" + nameof(MaxBatchSize);

    public const int DefaultMaxBatchSize = 512;

    /// <summary>An Npgsql connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema that holds the tables, created with them on first start; null for the connection's own search path.</summary>
    public string? Schema { get; set; }

    /// <summary>The most write operations committed together in one transaction.</summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// The connection string every PostgreSQL user of the process gets, this provider's and Orleans' ADO.NET providers':
    /// <see cref="ConnectionString"/> with <see cref="Schema"/> as its search path when it is set.
    /// </summary>
    public string EffectiveConnectionString()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            throw new InvalidOperationException($"{ConnectionStringKey} must be set to the Npgsql connection string of the cluster database.");
        if (string.IsNullOrEmpty(Schema)) return ConnectionString;
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = QuoteIdentifier(Schema) }.ConnectionString;
    }

    internal static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
