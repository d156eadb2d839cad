using System.Text;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Writes rows of one grain state (keyed by storage name, state name and grain id, then columns of their own) with
/// multi-row INSERTs: a write carries many rows of one state, and one statement per row would spend more on executing
/// statements than on storing rows. Commands are prepared once per chunk size and their parameters are set by position.
/// </summary>
internal abstract class SqliteStateRowsInsert<TRow>
{
    private const int KeyParameters = 3;

    /// <summary>
    /// Rows per statement, largest first; any count is written as a sum of these. Not more than 16: SQLite finds each
    /// named parameter by a linear search of the statement's names, so a statement of n rows costs n² lookups.
    /// </summary>
    private static readonly int[] ChunkSizes = [16, 4, 1];

    private readonly SqliteType[] _columnTypes;
    private readonly Dictionary<int, string> _sql;

    /// <param name="table">The table, whose first columns are storage_name, state_name and grain_id.</param>
    /// <param name="columns">The row's own columns, in the order <see cref="BindRow"/> sets them.</param>
    /// <param name="conflictClause">What follows the rows, such as an ON CONFLICT clause; empty for none.</param>
    protected SqliteStateRowsInsert(string table, IReadOnlyList<(string Name, SqliteType Type)> columns, string conflictClause = "")
    {
        _columnTypes = [.. columns.Select(column => column.Type)];
        _sql = ChunkSizes.ToDictionary(size => size, size => BuildSql(table, columns, conflictClause, size));
    }

    /// <summary>Sets the row's own parameters, from <paramref name="at"/> on, in the order of the columns.</summary>
    protected abstract void BindRow(SqliteParameterCollection parameters, int at, TRow row);

    public void Write(SqliteWriteSession session, string storageName, string stateName, string grainId, IReadOnlyList<TRow> rows)
    {
        var next = 0;
        foreach (var size in ChunkSizes)
        {
            while (rows.Count - next >= size)
            {
                var command = Command(session, size);
                var parameters = command.Parameters;
                parameters[0].Value = storageName;
                parameters[1].Value = stateName;
                parameters[2].Value = grainId;
                for (var row = 0; row < size; row++)
                    BindRow(parameters, KeyParameters + row * _columnTypes.Length, rows[next + row]);
                command.ExecuteNonQuery();
                next += size;
            }
        }
    }

    private SqliteCommand Command(SqliteWriteSession session, int size)
    {
        var command = session.Command(_sql[size]);
        if (command.Parameters.Count == 0)
        {
            command.Parameters.Add(new SqliteParameter("@storage_name", SqliteType.Text));
            command.Parameters.Add(new SqliteParameter("@state_name", SqliteType.Text));
            command.Parameters.Add(new SqliteParameter("@grain_id", SqliteType.Text));
            for (var row = 0; row < size; row++)
            {
                for (var column = 0; column < _columnTypes.Length; column++)
                    command.Parameters.Add(new SqliteParameter(ParameterName(column, row), _columnTypes[column]));
            }
        }
        return command;
    }

    private static string BuildSql(string table, IReadOnlyList<(string Name, SqliteType Type)> columns, string conflictClause, int size)
    {
        var sql = new StringBuilder($"INSERT INTO {table} (storage_name, state_name, grain_id, {string.Join(", ", columns.Select(c => c.Name))}) VALUES ");
        for (var row = 0; row < size; row++)
        {
            if (row > 0) sql.Append(", ");
            sql.Append("(@storage_name, @state_name, @grain_id");
            for (var column = 0; column < columns.Count; column++) sql.Append(", ").Append(ParameterName(column, row));
            sql.Append(')');
        }
        if (conflictClause.Length > 0) sql.Append(' ').Append(conflictClause);
        return sql.ToString();
    }

    /// <summary>Short, as SQLite compares names one by one: a letter for the column, then the row.</summary>
    private static string ParameterName(int column, int row) => $"@{(char)('a' + column)}{row}";
}
