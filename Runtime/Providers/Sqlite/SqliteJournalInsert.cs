using Granary.Storage;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>Appends journal entries: a batch commit carries many entries of one state.</summary>
internal sealed class SqliteJournalInsert : SqliteStateRowsInsert<JournalRecord>
{
    public static readonly SqliteJournalInsert Instance = new();

    private SqliteJournalInsert()
        : base("grain_journal", [("sequence", SqliteType.Integer), ("category", SqliteType.Text), ("created_at", SqliteType.Integer), ("data", SqliteType.Text)])
    {
    }

    protected override void BindRow(SqliteParameterCollection parameters, int at, JournalRecord entry)
    {
        parameters[at].Value = entry.Sequence;
        parameters[at + 1].Value = (object?)entry.Category ?? DBNull.Value;
        parameters[at + 2].Value = SqliteColumns.FromTimestamp(entry.Timestamp);
        parameters[at + 3].Value = entry.Data;
    }
}
