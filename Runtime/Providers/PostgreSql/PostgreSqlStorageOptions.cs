namespace Granary.PostgreSql;

/// <summary>
/// Where the cluster's PostgreSQL database is and how writes are batched. The connection string is
/// <c>ConnectionStrings:Postgres</c>; the rest is bound from the <c>Postgres</c> section.
/// </summary>
public sealed class PostgreSqlStorageOptions
{
    public const string SectionName = "Postgres";

    /// <summary>The name under <c>ConnectionStrings</c>: the key is <c>ConnectionStrings:Postgres</c>.</summary>
    public const string ConnectionStringName = "Postgres";

    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    public const string DefaultSchema = "granary";

    public const int DefaultMaxBatchSize = 512;

    /// <summary>An Npgsql connection string. Its <c>Search Path</c>, if any, is replaced by <see cref="Schema"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema that holds the tables; created, with them, on first start.</summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>The most write operations committed together in one transaction.</summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;
}
