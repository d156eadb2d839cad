namespace AdWallet.Persistence.Sqlite;

/// <summary>Where the embedded SQLite database lives and how hard it flushes. Bound from the <c>Data</c> section.</summary>
public sealed class SqliteStorageOptions
{
    public const string SectionName = "Data";

    public const string DefaultPath = "./data";

    public const string DefaultFileName = "adwallet.db";

    public const SqliteSynchronous DefaultSynchronous = SqliteSynchronous.Full;

    public const int DefaultMaxBatchSize = 512;

    /// <summary>The data folder; created when missing.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>The database file inside <see cref="Path"/>.</summary>
    public string FileName { get; set; } = DefaultFileName;

    /// <summary>SQLite's <c>synchronous</c> setting. <see cref="SqliteSynchronous.Full"/> makes every commit durable before it is acknowledged.</summary>
    public SqliteSynchronous Synchronous { get; set; } = DefaultSynchronous;

    /// <summary>The most write operations committed together in one transaction.</summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, FileName));
}
