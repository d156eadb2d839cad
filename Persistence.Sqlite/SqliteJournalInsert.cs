namespace AdWallet.Persistence.Sqlite;

/// <summary>Appends journal entries: a write often carries many entries of one state.</summary>
internal sealed class SqliteJournalInsert : SqliteStateRowsInsert<JournalRecord>
{
    public static readonly SqliteJournalInsert Instance = new();

    private SqliteJournalInsert()
        : base("grain_journal", ["sequence", "category", "created_at", "data"])
    {
    }

    protected override void BindRow(SqliteStatement statement, int at, JournalRecord entry)
    {
        statement.Bind(at, entry.Sequence);
        statement.Bind(at + 1, entry.Category);
        statement.Bind(at + 2, SqliteColumns.FromTimestamp(entry.Timestamp));
        statement.Bind(at + 3, entry.Data);
    }
}
