using Granary.Storage;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Grain state and journals in the embedded SQLite database. The ETag is the row's version. Rows are keyed by this
/// provider's name as well, so that two providers on one file never share state.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private const string KeyPredicate = "storage_name = @storage_name AND state_name = @state_name AND grain_id = @grain_id";

    // States written before grain_state_data existed still hold their data in grain_state.
    private const string ReadStateSql = """
        SELECT COALESCE(d.data, s.data), s.version
        FROM grain_state s
        LEFT JOIN grain_state_data d
            ON d.storage_name = s.storage_name AND d.state_name = s.state_name AND d.grain_id = s.grain_id
        WHERE s.storage_name = @storage_name AND s.state_name = @state_name AND s.grain_id = @grain_id
        """;

    private const string UpsertDataSql = """
        INSERT INTO grain_state_data (storage_name, state_name, grain_id, data)
        VALUES (@storage_name, @state_name, @grain_id, @data)
        ON CONFLICT (storage_name, state_name, grain_id) DO UPDATE SET data = excluded.data
        """;

    private const string DeleteDataSql = $"DELETE FROM grain_state_data WHERE {KeyPredicate}";

    private const string ReadVersionSql = $"SELECT version FROM grain_state WHERE {KeyPredicate}";

    private const string InsertStateSql = """
        INSERT INTO grain_state (storage_name, state_name, grain_id, version, data, updated_at)
        VALUES (@storage_name, @state_name, @grain_id, 1, @data, @updated_at)
        ON CONFLICT DO NOTHING
        """;

    private const string UpdateStateSql = $"""
        UPDATE grain_state SET version = version + 1, data = @data, updated_at = @updated_at
        WHERE {KeyPredicate} AND version = @version
        """;

    private const string UpdateVersionSql = $"""
        UPDATE grain_state SET version = version + 1, updated_at = @updated_at
        WHERE {KeyPredicate} AND version = @version
        """;

    private const string LastSequenceSql = $"SELECT MAX(sequence) FROM grain_journal WHERE {KeyPredicate}";

    private const string DeleteJournalSql = $"DELETE FROM grain_journal WHERE {KeyPredicate}";

    private const string DeleteItemsSql = $"DELETE FROM grain_state_item WHERE {KeyPredicate}";

    private const string ItemSelect = $"SELECT item_key, data FROM grain_state_item WHERE {KeyPredicate}";
    private const string ItemPageSql = $"{ItemSelect} ORDER BY item_key LIMIT @limit";
    private const string ItemPageAfterSql = $"{ItemSelect} AND item_key > @after ORDER BY item_key LIMIT @limit";

    private const string JournalSelect = $"SELECT sequence, category, created_at, data FROM grain_journal WHERE {KeyPredicate}";
    private const string JournalOrder = "ORDER BY sequence DESC LIMIT @limit";

    // One statement per filter combination, so that each uses its index range instead of testing "@x IS NULL OR ...".
    private const string JournalPageSql = $"{JournalSelect} {JournalOrder}";
    private const string JournalPageBeforeSql = $"{JournalSelect} AND sequence < @before {JournalOrder}";
    private const string JournalCategoryPageSql = $"{JournalSelect} AND category = @category {JournalOrder}";
    private const string JournalCategoryPageBeforeSql = $"{JournalSelect} AND category = @category AND sequence < @before {JournalOrder}";
    private const string JournalCategoriesFilter = "AND category IN (SELECT value FROM json_each(@categories))";
    private const string JournalCategoriesPageSql = $"{JournalSelect} {JournalCategoriesFilter} {JournalOrder}";
    private const string JournalCategoriesPageBeforeSql = $"{JournalSelect} {JournalCategoriesFilter} AND sequence < @before {JournalOrder}";

    private readonly string _name;
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _timeProvider;

    /// <param name="name">The provider's name, part of every row's key.</param>
    public SqliteGrainStorage(string name, SqliteDatabase database, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
        _database = database;
        _timeProvider = timeProvider;
    }

    public async Task<GrainStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        var key = Key(stateName, grainId);
        await using var connection = _database.OpenReadConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = ReadStateSql;
        key.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return GrainStateRecord.None;
        return new GrainStateRecord(reader.IsDBNull(0) ? null : reader.GetString(0), SqliteColumns.ToETag(reader.GetInt64(1)));
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, GrainStateWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        CheckKeepsDataOfStoredRow(write);
        var key = Key(stateName, grainId);
        var now = SqliteColumns.FromTimestamp(_timeProvider.GetUtcNow());
        return _database.WriteAsync(session => Write(session, key, write, now), cancellationToken);
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredGrainStateWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var key = Key(stateName, grainId);
        return _database.WriteAsync(session =>
        {
            var taken = write.Take();
            CheckKeepsDataOfStoredRow(taken);
            var etag = Write(session, key, taken, SqliteColumns.FromTimestamp(_timeProvider.GetUtcNow()));
            write.Executed(etag);
            return etag;
        }, cancellationToken);
    }

    public Task<string> ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var key = Key(stateName, grainId);
        var now = SqliteColumns.FromTimestamp(_timeProvider.GetUtcNow());
        return _database.WriteAsync(session =>
        {
            var version = WriteState(session, key, data: null, expectedETag, now);
            key.Bind(session.Command(DeleteJournalSql)).ExecuteNonQuery();
            key.Bind(session.Command(DeleteItemsSql)).ExecuteNonQuery();
            return SqliteColumns.ToETag(version);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var key = Key(stateName, grainId);
        await using var connection = _database.OpenReadConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = (query.Categories?.Count, query.BeforeSequence) switch
        {
            (null, null) => JournalPageSql,
            (null, _) => JournalPageBeforeSql,
            (1, null) => JournalCategoryPageSql,
            (1, _) => JournalCategoryPageBeforeSql,
            (_, null) => JournalCategoriesPageSql,
            _ => JournalCategoriesPageBeforeSql,
        };
        key.Bind(command)
            .Bind("@category", query.Categories is [var category] ? category : null)
            .Bind("@categories", query.Categories is { Count: > 1 } categories ? System.Text.Json.JsonSerializer.Serialize(categories) : null)
            .Bind("@before", query.BeforeSequence)
            .Bind("@limit", query.Limit);

        var page = new List<JournalRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new JournalRecord(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                SqliteColumns.ToTimestamp(reader.GetInt64(2)),
                reader.GetString(3)));
        }
        return page;
    }

    public async Task<IReadOnlyList<GrainStateItem>> ReadItemsAsync(string stateName, GrainId grainId, string? afterKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var key = Key(stateName, grainId);
        await using var connection = _database.OpenReadConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = afterKey is null ? ItemPageSql : ItemPageAfterSql;
        key.Bind(command).Bind("@after", afterKey).Bind("@limit", limit);

        var page = new List<GrainStateItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            page.Add(new GrainStateItem(reader.GetString(0), reader.GetString(1)));
        return page;
    }

    private static void CheckKeepsDataOfStoredRow(GrainStateWrite write)
    {
        if (write.Data is null && write.ExpectedETag is null)
            throw new ArgumentException("A write that keeps the stored data needs a stored row.", nameof(write));
    }

    private static string Write(SqliteWriteSession session, StateKey key, GrainStateWrite write, long now)
    {
        var version = write.Data is null
            ? BumpVersion(session, key, write.ExpectedETag!, now)
            : WriteState(session, key, write.Data, write.ExpectedETag, now);
        AppendJournal(session, key, write.NewEntries);
        SqliteItemUpsert.Instance.Write(session, key.StorageName, key.StateName, key.GrainId, write.Items ?? []);
        return SqliteColumns.ToETag(version);
    }

    /// <summary>
    /// Inserts the version row (no ETag expected) or updates it if its version is the expected one, and stores the
    /// data beside it (null: no data, a tombstone). Returns the new version.
    /// </summary>
    private static long WriteState(SqliteWriteSession session, StateKey key, string? data, string? expectedETag, long now)
    {
        var version = WriteVersionRow(session, key, expectedETag, now);
        if (data is null)
            key.Bind(session.Command(DeleteDataSql)).ExecuteNonQuery();
        else
            key.Bind(session.Command(UpsertDataSql)).Bind("@data", data).ExecuteNonQuery();
        return version;
    }

    private static long WriteVersionRow(SqliteWriteSession session, StateKey key, string? expectedETag, long now)
    {
        const string? data = null;
        if (expectedETag is null)
        {
            var inserted = key.Bind(session.Command(InsertStateSql))
                .Bind("@data", data)
                .Bind("@updated_at", now)
                .ExecuteNonQuery();
            if (inserted == 0) throw ETagMismatch(session, key, expectedETag);
            return 1;
        }

        // An ETag this provider cannot have produced matches no row, like any other stale ETag.
        if (!SqliteColumns.TryFromETag(expectedETag, out var expectedVersion)) throw ETagMismatch(session, key, expectedETag);
        var updated = key.Bind(session.Command(UpdateStateSql))
            .Bind("@data", data)
            .Bind("@updated_at", now)
            .Bind("@version", expectedVersion)
            .ExecuteNonQuery();
        if (updated == 0) throw ETagMismatch(session, key, expectedETag);
        return expectedVersion + 1;
    }

    /// <summary>Moves the version on without touching the data, if it is the expected one. Returns the new version.</summary>
    private static long BumpVersion(SqliteWriteSession session, StateKey key, string expectedETag, long now)
    {
        if (!SqliteColumns.TryFromETag(expectedETag, out var expectedVersion)) throw ETagMismatch(session, key, expectedETag);
        var updated = key.Bind(session.Command(UpdateVersionSql))
            .Bind("@updated_at", now)
            .Bind("@version", expectedVersion)
            .ExecuteNonQuery();
        if (updated == 0) throw ETagMismatch(session, key, expectedETag);
        return expectedVersion + 1;
    }

    private static void AppendJournal(SqliteWriteSession session, StateKey key, IReadOnlyList<JournalRecord> entries)
    {
        if (entries.Count == 0) return;
        var last = key.Bind(session.Command(LastSequenceSql)).ExecuteScalar() as long?;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Sequence <= last)
            {
                throw new InconsistentStateException(i == 0
                    ? $"Journal entry {entry.Sequence} of {key.StateName} on {key.GrainId} already exists."
                    : $"Journal entries of {key.StateName} on {key.GrainId} must have increasing sequences: {entry.Sequence} follows {last}.");
            }
            last = entry.Sequence;
        }
        SqliteJournalInsert.Instance.Write(session, key.StorageName, key.StateName, key.GrainId, entries);
    }

    private static InconsistentStateException ETagMismatch(SqliteWriteSession session, StateKey key, string? expectedETag)
    {
        var stored = key.Bind(session.Command(ReadVersionSql)).ExecuteScalar() is long version ? SqliteColumns.ToETag(version) : null;
        return new InconsistentStateException(
            $"ETag mismatch writing {key.StateName} of {key.GrainId}: stored {stored ?? "none"}, expected {expectedETag ?? "none"}.",
            stored, expectedETag);
    }

    private StateKey Key(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return new StateKey(_name, stateName, SqliteColumns.FromGrainId(grainId));
    }

    private readonly record struct StateKey(string StorageName, string StateName, string GrainId)
    {
        public SqliteCommand Bind(SqliteCommand command) => command
            .Bind("@storage_name", StorageName)
            .Bind("@state_name", StateName)
            .Bind("@grain_id", GrainId);
    }
}
