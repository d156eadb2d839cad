using Granary.Reminders;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>The reminder table in the embedded SQLite database. ETags come from one counter and are never reused.</summary>
public sealed class SqliteReminderTable : IReminderTable
{
    private const string SelectColumns = "SELECT grain_id, reminder_name, start_at, period, etag FROM reminders";

    private const string ReadAllSql = SelectColumns;

    private const string ReadByGrainSql = $"{SelectColumns} WHERE grain_id = @grain_id";

    private const string ReadRowSql = $"{SelectColumns} WHERE grain_id = @grain_id AND reminder_name = @reminder_name";

    private const string NextETagSql = "UPDATE reminder_etag SET value = value + 1 WHERE id = 1 RETURNING value";

    private const string UpsertSql = """
        INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period, etag)
        VALUES (@grain_id, @reminder_name, @grain_hash, @start_at, @period, @etag)
        ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
            grain_hash = excluded.grain_hash, start_at = excluded.start_at, period = excluded.period, etag = excluded.etag
        """;

    private const string RemoveSql = "DELETE FROM reminders WHERE grain_id = @grain_id AND reminder_name = @reminder_name AND etag = @etag";

    private readonly SqliteDatabase _database;

    public SqliteReminderTable(SqliteDatabase database) => _database = database;

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRowsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(ReadAllSql, static _ => { }, cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        var id = SqliteColumns.FromGrainId(grainId);
        return ReadAsync(ReadByGrainSql, command => command.Bind("@grain_id", id), cancellationToken);
    }

    public async Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var id = SqliteColumns.FromGrainId(grainId);
        var rows = await ReadAsync(ReadRowSql, command => command.Bind("@grain_id", id).Bind("@reminder_name", reminderName), cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.ReminderName);
        var id = SqliteColumns.FromGrainId(entry.GrainId);
        return _database.WriteAsync(session =>
        {
            var eTag = (long)session.Command(NextETagSql).ExecuteScalar()!;
            session.Command(UpsertSql)
                .Bind("@grain_id", id)
                .Bind("@reminder_name", entry.ReminderName)
                .Bind("@grain_hash", (long)entry.GrainId.GetUniformHashCode())
                .Bind("@start_at", SqliteColumns.FromTimestamp(entry.StartAt))
                .Bind("@period", entry.Period.Ticks)
                .Bind("@etag", eTag)
                .ExecuteNonQuery();
            return SqliteColumns.ToETag(eTag);
        }, cancellationToken);
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        ArgumentNullException.ThrowIfNull(eTag);
        var id = SqliteColumns.FromGrainId(grainId);
        if (!SqliteColumns.TryFromETag(eTag, out var version)) return Task.FromResult(false);
        return _database.WriteAsync(session => session.Command(RemoveSql)
            .Bind("@grain_id", id)
            .Bind("@reminder_name", reminderName)
            .Bind("@etag", version)
            .ExecuteNonQuery() == 1, cancellationToken);
    }

    private async Task<IReadOnlyList<ReminderEntry>> ReadAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = _database.OpenReadConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var rows = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ReminderEntry(
                SqliteColumns.ToGrainId(reader.GetString(0)),
                reader.GetString(1),
                SqliteColumns.ToTimestamp(reader.GetInt64(2)),
                TimeSpan.FromTicks(reader.GetInt64(3)),
                SqliteColumns.ToETag(reader.GetInt64(4))));
        }
        return rows;
    }
}
