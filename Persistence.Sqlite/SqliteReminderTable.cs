using Microsoft.Data.Sqlite;
using Orleans;
using Orleans.Runtime;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// Orleans' reminder table in the embedded SQLite database. ETags come from one counter and are never reused, so a
/// remover holding the ETag of a deleted row cannot remove a later row of the same name.
/// </summary>
public sealed class SqliteReminderTable : IReminderTable
{
    private const string SelectColumns = "SELECT grain_id, reminder_name, start_at, period, etag FROM reminders";

    private const string ReadByGrainSql = $"{SelectColumns} WHERE grain_id = @grain_id";

    private const string ReadRowSql = $"{SelectColumns} WHERE grain_id = @grain_id AND reminder_name = @reminder_name";

    // The ring range (begin, end]; when begin >= end it wraps around past the largest hash.
    private const string ReadRangeSql = $"{SelectColumns} WHERE grain_hash > @begin AND grain_hash <= @end";

    private const string ReadWrappedRangeSql = $"{SelectColumns} WHERE grain_hash > @begin OR grain_hash <= @end";

    private const string NextETagSql = "UPDATE reminder_etag SET value = value + 1 WHERE id = 1 RETURNING value";

    private const string UpsertSql = """
        INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period, etag)
        VALUES (@grain_id, @reminder_name, @grain_hash, @start_at, @period, @etag)
        ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
            grain_hash = excluded.grain_hash, start_at = excluded.start_at, period = excluded.period, etag = excluded.etag
        """;

    private const string RemoveSql = "DELETE FROM reminders WHERE grain_id = @grain_id AND reminder_name = @reminder_name AND etag = @etag";

    private const string ClearSql = "DELETE FROM reminders";

    private readonly SqliteDatabase _database;

    public SqliteReminderTable(SqliteDatabase database) => _database = database;

    /// <summary>Starts the shared database if the silo lifecycle has not yet.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _database.StartAsync(cancellationToken);

    /// <summary>Nothing to do: the database is shared with grain storage and stops with the silo.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        var id = SqliteColumns.FromGrainId(grainId);
        return ReadAsync(ReadByGrainSql, command => command.Bind("@grain_id", id), cancellationToken);
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        ReadAsync(begin < end ? ReadRangeSql : ReadWrappedRangeSql,
            command => command.Bind("@begin", (long)begin).Bind("@end", (long)end), cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var id = SqliteColumns.FromGrainId(grainId);
        var rows = await ReadAsync(ReadRowSql, command => command.Bind("@grain_id", id).Bind("@reminder_name", reminderName), cancellationToken)
            .ConfigureAwait(false);
        return rows.Reminders.Count == 0 ? null : rows.Reminders[0];
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.ReminderName);
        var id = SqliteColumns.FromGrainId(entry.GrainId);
        var hash = (long)entry.GrainId.GetUniformHashCode();
        var startAt = SqliteColumns.FromDateTime(entry.StartAt);
        var period = entry.Period.Ticks;
        var name = entry.ReminderName;
        return _database.WriteAsync<string?>(session =>
        {
            var eTag = (long)session.Command(NextETagSql).ExecuteScalar()!;
            session.Command(UpsertSql)
                .Bind("@grain_id", id)
                .Bind("@reminder_name", name)
                .Bind("@grain_hash", hash)
                .Bind("@start_at", startAt)
                .Bind("@period", period)
                .Bind("@etag", eTag)
                .ExecuteNonQuery();
            return SqliteColumns.ToETag(eTag);
        }, cancellationToken);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var id = SqliteColumns.FromGrainId(grainId);
        if (!SqliteColumns.TryFromETag(eTag, out var version)) return Task.FromResult(false);
        return _database.WriteAsync(session => session.Command(RemoveSql)
            .Bind("@grain_id", id)
            .Bind("@reminder_name", reminderName)
            .Bind("@etag", version)
            .ExecuteNonQuery() == 1, cancellationToken);
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        _database.WriteAsync(session => session.Command(ClearSql).ExecuteNonQuery(), cancellationToken);

    private Task<ReminderTableData> ReadAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        _database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            using var reader = command.ExecuteReader();
            var rows = new List<ReminderEntry>();
            while (reader.Read())
            {
                rows.Add(new ReminderEntry
                {
                    GrainId = SqliteColumns.ToGrainId(reader.GetString(0)),
                    ReminderName = reader.GetString(1),
                    StartAt = SqliteColumns.ToDateTime(reader.GetInt64(2)),
                    Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                    ETag = SqliteColumns.ToETag(reader.GetInt64(4)),
                });
            }
            return new ReminderTableData(rows);
        }, cancellationToken);
}
