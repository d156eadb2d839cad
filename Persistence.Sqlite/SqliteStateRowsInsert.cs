using System.Text;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// Writes rows of one grain state (keyed by storage name, state name and grain id, then columns of their own) with
/// multi-row INSERTs: a write carries many rows of one state, and one statement per row would spend more on executing
/// statements than on storing rows. Statements are prepared once per chunk size; the key is bound once per statement
/// (parameters 1 to 3) and each row's columns follow, all by position.
/// </summary>
internal abstract class SqliteStateRowsInsert<TRow>
{
    private const int KeyParameters = 3;

    /// <summary>Rows per statement, largest first; any count is written as a sum of these.</summary>
    private static readonly int[] ChunkSizes = [16, 4, 1];

    private readonly int _columnCount;
    private readonly Dictionary<int, string> _sql;

    /// <param name="table">The table, whose first columns are storage_name, state_name and grain_id.</param>
    /// <param name="columns">The row's own columns, in the order <see cref="BindRow"/> sets them.</param>
    /// <param name="conflictClause">What follows the rows, such as an ON CONFLICT clause; empty for none.</param>
    protected SqliteStateRowsInsert(string table, IReadOnlyList<string> columns, string conflictClause = "")
    {
        _columnCount = columns.Count;
        _sql = ChunkSizes.ToDictionary(size => size, size => BuildSql(table, columns, conflictClause, size));
    }

    /// <summary>Binds the row's own columns, in order, from position <paramref name="at"/> on.</summary>
    protected abstract void BindRow(SqliteStatement statement, int at, TRow row);

    public void Write(SqliteWriteSession session, string storageName, string stateName, string grainId, IReadOnlyList<TRow> rows)
    {
        var next = 0;
        foreach (var size in ChunkSizes)
        {
            while (rows.Count - next >= size)
            {
                var statement = session.Statement(_sql[size]);
                statement.Bind(1, storageName);
                statement.Bind(2, stateName);
                statement.Bind(3, grainId);
                for (var row = 0; row < size; row++)
                    BindRow(statement, KeyParameters + 1 + row * _columnCount, rows[next + row]);
                statement.Execute();
                next += size;
            }
        }
    }

    /// <summary>VALUES (?1, ?2, ?3, ?4, ?5), (?1, ?2, ?3, ?6, ?7)...: every row repeats the key's parameters.</summary>
    private static string BuildSql(string table, IReadOnlyList<string> columns, string conflictClause, int size)
    {
        var sql = new StringBuilder($"INSERT INTO {table} (storage_name, state_name, grain_id, {string.Join(", ", columns)}) VALUES ");
        for (var row = 0; row < size; row++)
        {
            if (row > 0) sql.Append(", ");
            sql.Append("(?1, ?2, ?3");
            for (var column = 0; column < columns.Count; column++) sql.Append(", ?").Append(KeyParameters + 1 + row * columns.Count + column);
            sql.Append(')');
        }
        if (conflictClause.Length > 0) sql.Append(' ').Append(conflictClause);
        return sql.ToString();
    }
}
