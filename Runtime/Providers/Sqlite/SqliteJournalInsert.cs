using System.Text;
using Granary.Storage;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Appends journal entries with multi-row INSERTs: a batch commit carries many entries of one state, and one statement
/// per row would spend more on executing statements than on storing rows. Commands are prepared once per chunk size
/// and their parameters are set by position.
/// </summary>
internal static class SqliteJournalInsert
{
    private const int KeyParameters = 3;
    private const int RowParameters = 4;

    /// <summary>
    /// Rows per statement, largest first; any count is written as a sum of these. Not more than 16: SQLite finds each
    /// named parameter by a linear search of the statement's names, so a statement of n rows costs n² lookups.
    /// </summary>
    private static readonly int[] ChunkSizes = [16, 4, 1];

    private static readonly Dictionary<int, string> Sql = ChunkSizes.ToDictionary(size => size, BuildSql);

    public static void Append(SqliteWriteSession session, string storageName, string stateName, string grainId, IReadOnlyList<JournalRecord> entries)
    {
        var next = 0;
        foreach (var size in ChunkSizes)
        {
            while (entries.Count - next >= size)
            {
                var command = Command(session, size);
                var parameters = command.Parameters;
                parameters[0].Value = storageName;
                parameters[1].Value = stateName;
                parameters[2].Value = grainId;
                for (var row = 0; row < size; row++)
                {
                    var entry = entries[next + row];
                    var at = KeyParameters + row * RowParameters;
                    parameters[at].Value = entry.Sequence;
                    parameters[at + 1].Value = (object?)entry.Category ?? DBNull.Value;
                    parameters[at + 2].Value = SqliteColumns.FromTimestamp(entry.Timestamp);
                    parameters[at + 3].Value = entry.Data;
                }
                command.ExecuteNonQuery();
                next += size;
            }
        }
    }

    private static SqliteCommand Command(SqliteWriteSession session, int size)
    {
        var command = session.Command(Sql[size]);
        if (command.Parameters.Count == 0)
        {
            command.Parameters.Add(new SqliteParameter("@storage_name", SqliteType.Text));
            command.Parameters.Add(new SqliteParameter("@state_name", SqliteType.Text));
            command.Parameters.Add(new SqliteParameter("@grain_id", SqliteType.Text));
            for (var row = 0; row < size; row++)
            {
                command.Parameters.Add(new SqliteParameter($"@s{row}", SqliteType.Integer));
                command.Parameters.Add(new SqliteParameter($"@c{row}", SqliteType.Text));
                command.Parameters.Add(new SqliteParameter($"@t{row}", SqliteType.Integer));
                command.Parameters.Add(new SqliteParameter($"@d{row}", SqliteType.Text));
            }
        }
        return command;
    }

    private static string BuildSql(int size)
    {
        var sql = new StringBuilder("INSERT INTO grain_journal (storage_name, state_name, grain_id, sequence, category, created_at, data) VALUES ");
        for (var row = 0; row < size; row++)
        {
            if (row > 0) sql.Append(", ");
            sql.Append($"(@storage_name, @state_name, @grain_id, @s{row}, @c{row}, @t{row}, @d{row})");
        }
        return sql.ToString();
    }
}
