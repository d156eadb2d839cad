using Granary.Reminders;
using Npgsql;
using NpgsqlTypes;

namespace Granary.PostgreSql;

/// <summary>
/// The reminder table in the cluster's PostgreSQL database. ETags come from one sequence shared by every silo and are
/// never reused. Rows carry their grain's uniform hash, so that a silo can read the reminders of its share of the ring
/// (<see cref="ReadRowsAsync(uint, uint, CancellationToken)"/>).
/// </summary>
public sealed class PostgreSqlReminderTable : IReminderTable
{
    private const string SelectColumns = "SELECT grain_id, reminder_name, start_at, period, etag FROM reminders";

    private const string ReadAllSql = SelectColumns;

    private const string ReadByGrainSql = $"{SelectColumns} WHERE grain_id = @grain_id";

    private const string ReadRowSql = $"{SelectColumns} WHERE grain_id = @grain_id AND reminder_name = @reminder_name";

    private const string ReadRangeSql = $"{SelectColumns} WHERE grain_hash > @begin AND grain_hash <= @end";

    private const string ReadWrappedRangeSql = $"{SelectColumns} WHERE grain_hash > @begin OR grain_hash <= @end";

    // One statement, atomic against other silos' upserts of the same row; nextval is taken whatever the outcome.
    private const string UpsertSql = """
        INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period, etag)
        VALUES (@grain_id, @reminder_name, @grain_hash, @start_at, @period, nextval('reminder_etag'))
        ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
            grain_hash = excluded.grain_hash, start_at = excluded.start_at, period = excluded.period, etag = excluded.etag
        RETURNING etag
        """;

    private const string RemoveSql = "DELETE FROM reminders WHERE grain_id = @grain_id AND reminder_name = @reminder_name AND etag = @etag";

    private readonly PostgreSqlDatabase _database;

    public PostgreSqlReminderTable(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRowsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(ReadAllSql, static _ => { }, cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        var id = PostgreSqlColumns.FromGrainId(grainId);
        return ReadAsync(ReadByGrainSql, command => command.Bind("grain_id", NpgsqlDbType.Text, id), cancellationToken);
    }

    /// <summary>
    /// The rows whose grain hash (<see cref="GrainId.GetUniformHashCode"/>) lies in the ring range
    /// (<paramref name="beginExclusive"/>, <paramref name="endInclusive"/>]. When <paramref name="beginExclusive"/> is
    /// not below <paramref name="endInclusive"/> the range wraps around: above the begin or up to the end. Equal bounds
    /// are the whole ring.
    /// </summary>
    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(uint beginExclusive, uint endInclusive, CancellationToken cancellationToken = default) =>
        ReadAsync(beginExclusive < endInclusive ? ReadRangeSql : ReadWrappedRangeSql, command => command
            .Bind("begin", NpgsqlDbType.Bigint, (long)beginExclusive)
            .Bind("end", NpgsqlDbType.Bigint, (long)endInclusive), cancellationToken);

    public async Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var id = PostgreSqlColumns.FromGrainId(grainId);
        var rows = await ReadAsync(ReadRowSql, command => command
                .Bind("grain_id", NpgsqlDbType.Text, id)
                .Bind("reminder_name", NpgsqlDbType.Text, PostgreSqlColumns.CheckText(reminderName, nameof(reminderName))), cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.ReminderName);
        var id = PostgreSqlColumns.FromGrainId(entry.GrainId);
        var name = PostgreSqlColumns.CheckText(entry.ReminderName, nameof(entry));
        return _database.WriteAsync(LockKey(id, name), async session =>
        {
            await using var upsert = session.Command(UpsertSql)
                .Bind("grain_id", NpgsqlDbType.Text, id)
                .Bind("reminder_name", NpgsqlDbType.Text, name)
                .Bind("grain_hash", NpgsqlDbType.Bigint, (long)entry.GrainId.GetUniformHashCode())
                .Bind("start_at", NpgsqlDbType.Bigint, PostgreSqlColumns.FromTimestamp(entry.StartAt))
                .Bind("period", NpgsqlDbType.Bigint, entry.Period.Ticks);
            var eTag = (long)(await upsert.ExecuteScalarAsync().ConfigureAwait(false))!;
            return PostgreSqlColumns.ToETag(eTag);
        }, cancellationToken);
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        ArgumentNullException.ThrowIfNull(eTag);
        var id = PostgreSqlColumns.FromGrainId(grainId);
        var name = PostgreSqlColumns.CheckText(reminderName, nameof(reminderName));
        if (!PostgreSqlColumns.TryFromETag(eTag, out var version)) return Task.FromResult(false);
        return _database.WriteAsync(LockKey(id, name), async session =>
        {
            await using var remove = session.Command(RemoveSql)
                .Bind("grain_id", NpgsqlDbType.Text, id)
                .Bind("reminder_name", NpgsqlDbType.Text, name)
                .Bind("etag", NpgsqlDbType.Bigint, version);
            return await remove.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <summary>The row a write locks, for the writer's lock order.</summary>
    private static string LockKey(string grainId, string reminderName) => $"reminders\0{grainId}\0{reminderName}";

    private async Task<IReadOnlyList<ReminderEntry>> ReadAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateReadCommand(sql);
        bind(command);
        var rows = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ReminderEntry(
                PostgreSqlColumns.ToGrainId(reader.GetString(0)),
                reader.GetString(1),
                PostgreSqlColumns.ToTimestamp(reader.GetInt64(2)),
                TimeSpan.FromTicks(reader.GetInt64(3)),
                PostgreSqlColumns.ToETag(reader.GetInt64(4))));
        }
        return rows;
    }
}
