using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// Grain state in the embedded SQLite database, for both kinds of state: journaled states (<see cref="IJournalStorage"/>:
/// state, journal and items) and Orleans' simple states (<see cref="IGrainStorage"/>, for <c>[PersistentState]</c>),
/// stored as <see cref="StateJson"/>. The ETag is the row's version. Rows are keyed by this provider's name, the state
/// name and <see cref="GrainId.ToString"/>: a simple state and a journaled state of the same name on one grain are the
/// same row, so a grain must not use one name for both.
/// </summary>
/// <remarks>
/// Every write, of either kind, goes through the database's single writer and shares its transactions with other
/// grains' writes (group commit). Clearing leaves a tombstone: the row keeps its version, without data, journal or
/// items, so a writer that read the state before it was cleared cannot recreate it.
/// </remarks>
public sealed class SqliteGrainStorage : IJournalStorage, IGrainStorage
{
    private const string KeyPredicate = "storage_name = @storage_name AND state_name = @state_name AND grain_id = @grain_id";

    private const string ReadStateSql = """
        SELECT d.data, s.version
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
    private const string HasDataSql = $"SELECT 1 FROM grain_state_data WHERE {KeyPredicate}";

    private const string ReadVersionSql = $"SELECT version FROM grain_state WHERE {KeyPredicate}";

    private const string InsertStateSql = """
        INSERT INTO grain_state (storage_name, state_name, grain_id, version, updated_at)
        VALUES (@storage_name, @state_name, @grain_id, 1, @updated_at)
        ON CONFLICT DO NOTHING
        """;

    private const string UpdateVersionSql = $"""
        UPDATE grain_state SET version = version + 1, updated_at = @updated_at
        WHERE {KeyPredicate} AND version = @version
        """;

    private const string LastSequenceSql = $"SELECT MAX(sequence) FROM grain_journal WHERE {KeyPredicate}";
    private const string DeleteJournalSql = $"DELETE FROM grain_journal WHERE {KeyPredicate}";
    private const string DeleteItemsSql = $"DELETE FROM grain_state_item WHERE {KeyPredicate}";

    private const string ItemSelect = $"SELECT collection, item_key, sequence, data FROM grain_state_item WHERE {KeyPredicate} AND collection = @collection";
    private const string ItemSql = $"{ItemSelect} AND item_key = @item_key";
    private const string ItemOrder = "ORDER BY sequence DESC, item_key DESC LIMIT @limit";
    private const string ItemPageSql = $"{ItemSelect} {ItemOrder}";
    private const string ItemPageBeforeSql = $"{ItemSelect} AND sequence < @before {ItemOrder}";

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
    private readonly TimeProvider _time;

    /// <param name="name">The provider's name, part of every row's key.</param>
    public SqliteGrainStorage(string name, SqliteDatabase database, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
        _database = database;
        _time = time;
    }

    /// <summary>The provider's name, part of every row's key.</summary>
    public string Name => _name;

    // ---- IJournalStorage ----

    public Task<JournalStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        var key = Key(stateName, grainId);
        return _database.ReadAsync(connection =>
        {
            using var command = key.Bind(connection.CreateCommand(), ReadStateSql);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return JournalStateRecord.None;
            return new JournalStateRecord(reader.IsDBNull(0) ? null : reader.GetString(0), SqliteColumns.ToETag(reader.GetInt64(1)));
        }, cancellationToken);
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredJournalWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var key = Key(stateName, grainId);
        return _database.WriteAsync(session =>
        {
            var taken = write.Take() ?? throw new InvalidOperationException("A deferred journal write gave no content.");
            var etag = Write(session, key, taken, Now());
            write.Executed(etag);
            return etag;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var key = Key(stateName, grainId);
        var categories = query.Categories is { Count: > 0 } given ? given : null;
        var sql = (categories?.Count, query.BeforeSequence) switch
        {
            (null, null) => JournalPageSql,
            (null, _) => JournalPageBeforeSql,
            (1, null) => JournalCategoryPageSql,
            (1, _) => JournalCategoryPageBeforeSql,
            (_, null) => JournalCategoriesPageSql,
            _ => JournalCategoriesPageBeforeSql,
        };
        return _database.ReadAsync<IReadOnlyList<JournalRecord>>(connection =>
        {
            using var command = key.Bind(connection.CreateCommand(), sql)
                .Bind("@category", categories is [var category] ? category : null)
                .Bind("@categories", categories is { Count: > 1 } ? JsonSerializer.Serialize(categories) : null)
                .Bind("@before", query.BeforeSequence)
                .Bind("@limit", query.Limit);
            using var reader = command.ExecuteReader();
            var page = new List<JournalRecord>();
            while (reader.Read())
            {
                page.Add(new JournalRecord(
                    reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    SqliteColumns.ToTimestamp(reader.GetInt64(2)),
                    reader.GetString(3)));
            }
            return page;
        }, cancellationToken);
    }

    public Task<StateItemRecord?> ReadItemAsync(string stateName, GrainId grainId, string collection, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(key);
        var stateKey = Key(stateName, grainId);
        return _database.ReadAsync(connection =>
        {
            using var command = stateKey.Bind(connection.CreateCommand(), ItemSql)
                .Bind("@collection", collection)
                .Bind("@item_key", key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadItem(reader) : null;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StateItemRecord>> ReadItemsAsync(string stateName, GrainId grainId, ItemQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Collection);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var key = Key(stateName, grainId);
        return _database.ReadAsync<IReadOnlyList<StateItemRecord>>(connection =>
        {
            using var command = key.Bind(connection.CreateCommand(), query.BeforeSequence is null ? ItemPageSql : ItemPageBeforeSql)
                .Bind("@collection", query.Collection)
                .Bind("@before", query.BeforeSequence)
                .Bind("@limit", query.Limit);
            using var reader = command.ExecuteReader();
            var page = new List<StateItemRecord>();
            while (reader.Read()) page.Add(ReadItem(reader));
            return page;
        }, cancellationToken);
    }

    // ---- IGrainStorage ----

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var record = await ReadAsync(stateName, grainId, cancellationToken).ConfigureAwait(false);
        grainState.ETag = record.ETag;
        grainState.RecordExists = record.Data is not null;
        if (record.Data is not null)
            grainState.State = StateJson.Deserialize<T>(record.Data);
        else
            ResetState(grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(stateName, grainId);
        // Serialized on the caller's turn: the state object belongs to the grain, not to the writer's thread.
        var data = StateJson.Serialize(grainState.State);
        var expectedETag = grainState.ETag;
        var etag = await _database.WriteAsync(session =>
            SqliteColumns.ToETag(WriteState(session, key, data, expectedETag, Now())), cancellationToken).ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(stateName, grainId);
        var expectedETag = grainState.ETag;
        var etag = await _database.WriteAsync(session =>
        {
            var version = WriteState(session, key, data: null, expectedETag, Now());
            key.Bind(session.Command(DeleteJournalSql)).ExecuteNonQuery();
            key.Bind(session.Command(DeleteItemsSql)).ExecuteNonQuery();
            return SqliteColumns.ToETag(version);
        }, cancellationToken).ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = false;
        ResetState(grainState);
    }

    // ---- Writing ----

    private long Now() => SqliteColumns.FromTimestamp(_time.GetUtcNow());

    private static string Write(SqliteWriteSession session, StateKey key, JournalWrite write, long now)
    {
        var version = write.Data is null
            ? KeepData(session, key, write.ExpectedETag, now)
            : WriteState(session, key, write.Data, write.ExpectedETag, now);
        AppendJournal(session, key, write.NewEntries ?? []);
        SqliteItemUpsert.Instance.Write(session, key.StorageName, key.StateName, key.GrainId, write.Items ?? []);
        return SqliteColumns.ToETag(version);
    }

    /// <summary>
    /// Inserts the version row (no ETag expected) or moves its version on if it is the expected one, and stores the
    /// data beside it (null: none, a tombstone). Returns the new version.
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

    /// <summary>A write that keeps the stored data: it needs a row with data, and moves its version on.</summary>
    private static long KeepData(SqliteWriteSession session, StateKey key, string? expectedETag, long now)
    {
        if (expectedETag is null)
            throw new ArgumentException($"A write of {key.StateName} on {key.GrainId} that keeps the stored data needs a stored row.", "write");
        var version = WriteVersionRow(session, key, expectedETag, now);
        if (key.Bind(session.Command(HasDataSql)).ExecuteScalar() is null)
            throw new ArgumentException($"A write of {key.StateName} on {key.GrainId} that keeps the stored data needs stored data, but the state was cleared.", "write");
        return version;
    }

    private static long WriteVersionRow(SqliteWriteSession session, StateKey key, string? expectedETag, long now)
    {
        if (expectedETag is null)
        {
            var inserted = key.Bind(session.Command(InsertStateSql)).Bind("@updated_at", now).ExecuteNonQuery();
            if (inserted == 0) throw ETagMismatch(session, key, expectedETag);
            return 1;
        }

        // An ETag this provider cannot have produced matches no row, like any other stale ETag.
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
        // Orleans' names: StoredEtag is what storage holds, CurrentEtag what the writer held.
        return new InconsistentStateException(
            $"ETag mismatch writing {key.StateName} of {key.GrainId}: stored {stored ?? "none"}, expected {expectedETag ?? "none"}.",
            stored!, expectedETag!);
    }

    // ---- Helpers ----

    private static StateItemRecord ReadItem(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3));

    /// <summary>A state with no stored data reads as a new instance, as Orleans makes one for a state never written.</summary>
    private static void ResetState<T>(IGrainState<T> grainState)
    {
        if (typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is not null)
            grainState.State = Activator.CreateInstance<T>();
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

        public SqliteCommand Bind(SqliteCommand command, string sql)
        {
            command.CommandText = sql;
            return Bind(command);
        }
    }
}
