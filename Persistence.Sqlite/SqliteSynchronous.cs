namespace AdWallet.Persistence.Sqlite;

/// <summary>The values of SQLite's <c>PRAGMA synchronous</c>. In WAL mode, <see cref="Normal"/> may lose the last commits on power loss; <see cref="Full"/> does not.</summary>
public enum SqliteSynchronous
{
    Off,
    Normal,
    Full,
    Extra,
}
