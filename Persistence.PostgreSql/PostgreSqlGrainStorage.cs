using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// Grain state in the cluster's PostgreSQL database, of both kinds: journaled state (<see cref="IJournalStorage"/>:
/// a state row, its append-only journal and its items) and Orleans' <c>[PersistentState]</c>
/// (<see cref="IGrainStorage"/>: the state row alone). Data is StateJson text, never .NET type names. The ETag is the
/// row's version. Every write of either kind goes through the one writer of the process, which commits the writes of
/// many grains in one transaction (group commit), each in a savepoint of its own so that a conflict fails only it.
/// </summary>
/// <remarks>
/// Every check is made by the statement that writes (a conditional UPDATE, an INSERT ... ON CONFLICT DO NOTHING, an
/// INSERT of journal entries that must follow the stored ones), never by reading first, so that silos writing at the
/// same time cannot both win. A conflict throws Orleans' <see cref="InconsistentStateException"/>. Rows are keyed by
/// this provider's name as well, so that two providers on one database never share state. A state name used by a
/// grain for <c>[PersistentState]</c> and <c>[JournaledState]</c> at once on one provider would share a row: don't.
/// </remarks>
public sealed class PostgreSqlGrainStorage : IJournalStorage, IGrainStorage
{
    private const string KeyPredicate = "storage_name = @storage_name AND state_name = @state_name AND grain_id = @grain_id";

    private const string ReadStateSql = $"SELECT data, version FROM grain_state WHERE {KeyPredicate}";

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

    // A write with journal entries is one statement, so one round trip: the state change, then the entries, all of
    // them or none. None when the state was not written (a stale ETag), or when the last stored entry has a sequence at
    // or above the first new one (max() reads it from the end of the primary key, however long the journal). A writer
    // that changed the state since the snapshot of this statement would have changed its version too, and made the
    // conditional write find no row. It answers how many rows each part wrote.
    private const string JournalPart = $"""
        journal AS (
            INSERT INTO grain_journal (storage_name, state_name, grain_id, sequence, category, created_at, data)
            SELECT @storage_name, @state_name, @grain_id, entry.sequence, entry.category, entry.created_at, entry.data
            FROM unnest(@sequences, @categories, @created_ats, @entry_data) AS entry (sequence, category, created_at, data)
            WHERE EXISTS (SELECT 1 FROM state)
              AND coalesce((SELECT max(sequence) FROM grain_journal WHERE {KeyPredicate}) < @first_sequence, true)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM state), (SELECT count(*) FROM journal)
        """;

    private const string InsertStateWithJournalSql = $"WITH state AS ({InsertStateSql} RETURNING 1), {JournalPart}";

    private const string UpdateStateWithJournalSql = $"WITH state AS ({UpdateStateSql} RETURNING 1), {JournalPart}";

    private const string UpdateVersionWithJournalSql = $"WITH state AS ({UpdateVersionSql} RETURNING 1), {JournalPart}";

    private const string LastSequenceSql = $"SELECT max(sequence) FROM grain_journal WHERE {KeyPredicate}";

    private const string DeleteJournalSql = $"DELETE FROM grain_journal WHERE {KeyPredicate}";

    private const string DeleteItemsSql = $"DELETE FROM grain_state_item WHERE {KeyPredicate}";

    private const string UpsertItemsSql = """
        INSERT INTO grain_state_item (storage_name, state_name, grain_id, collection, item_key, sequence, data)
        SELECT @storage_name, @state_name, @grain_id, item.collection, item.key, item.sequence, item.data
        FROM unnest(@item_collections, @item_keys, @item_sequences, @item_data) AS item (collection, key, sequence, data)
        ON CONFLICT (storage_name, state_name, grain_id, collection, item_key)
        DO UPDATE SET sequence = excluded.sequence, data = excluded.data
        """;

    private const string ReadItemSql = $"SELECT sequence, data FROM grain_state_item WHERE {KeyPredicate} AND collection = @collection AND item_key = @item_key";

    private const string ItemSelect = $"SELECT item_key, sequence, data FROM grain_state_item WHERE {KeyPredicate} AND collection = @collection";
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
    private const string JournalCategoriesPageSql = $"{JournalSelect} AND category = ANY(@categories) {JournalOrder}";
    private const string JournalCategoriesPageBeforeSql = $"{JournalSelect} AND category = ANY(@categories) AND sequence < @before {JournalOrder}";

    private readonly string _name;
    private readonly PostgreSqlDatabase _database;
    private readonly TimeProvider _timeProvider;

    /// <param name="name">The provider's name, part of every row's key.</param>
    public PostgreSqlGrainStorage(string name, PostgreSqlDatabase database, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _name = PostgreSqlColumns.CheckText(name, nameof(name));
        _database = database;
        _timeProvider = timeProvider;
    }

    public string Name => _name;

    // ---- IJournalStorage ----

    public async Task<JournalStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        var key = Key(stateName, grainId);
        await using var command = key.Bind(_database.CreateReadCommand(ReadStateSql));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return JournalStateRecord.None;
        return new JournalStateRecord(reader.IsDBNull(0) ? null : reader.GetString(0), PostgreSqlColumns.ToETag(reader.GetInt64(1)));
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredJournalWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var key = Key(stateName, grainId);
        // Taken once, when the writer first runs the write: a write run again (a deadlock victim) stores the same content.
        PreparedWrite? prepared = null;
        return _database.WriteAsync(key.LockKey, async session =>
        {
            prepared ??= Prepare(key, write.Take());
            var etag = await WriteAsync(session, key, prepared, _timeProvider.GetUtcNow()).ConfigureAwait(false);
            write.Executed(etag);
            return etag;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var key = Key(stateName, grainId);
        var categories = query.Categories is { Count: > 0 } some ? some : null;
        var sql = (categories?.Count, query.BeforeSequence) switch
        {
            (null, null) => JournalPageSql,
            (null, _) => JournalPageBeforeSql,
            (1, null) => JournalCategoryPageSql,
            (1, _) => JournalCategoryPageBeforeSql,
            (_, null) => JournalCategoriesPageSql,
            _ => JournalCategoriesPageBeforeSql,
        };
        await using var command = key.Bind(_database.CreateReadCommand(sql)).Bind("limit", NpgsqlDbType.Integer, query.Limit);
        if (query.BeforeSequence is { } before) command.Bind("before", NpgsqlDbType.Bigint, before);
        if (categories is [var category])
            command.Bind("category", NpgsqlDbType.Text, category);
        else if (categories is not null)
            command.Bind("categories", NpgsqlDbType.Array | NpgsqlDbType.Text, categories.ToArray());

        var page = new List<JournalRecord>(Math.Min(query.Limit, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new JournalRecord(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                PostgreSqlColumns.ToTimestamp(reader.GetInt64(2)),
                reader.GetString(3)));
        }
        return page;
    }

    public async Task<StateItemRecord?> ReadItemAsync(string stateName, GrainId grainId, string collection, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(key);
        var stateKey = Key(stateName, grainId);
        await using var command = stateKey.Bind(_database.CreateReadCommand(ReadItemSql))
            .Bind("collection", NpgsqlDbType.Text, collection)
            .Bind("item_key", NpgsqlDbType.Text, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new StateItemRecord(collection, key, reader.GetInt64(0), reader.GetString(1));
    }

    public async Task<IReadOnlyList<StateItemRecord>> ReadItemsAsync(string stateName, GrainId grainId, ItemQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Collection);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var key = Key(stateName, grainId);
        await using var command = key.Bind(_database.CreateReadCommand(query.BeforeSequence is null ? ItemPageSql : ItemPageBeforeSql))
            .Bind("collection", NpgsqlDbType.Text, query.Collection)
            .Bind("limit", NpgsqlDbType.Integer, query.Limit);
        if (query.BeforeSequence is { } before) command.Bind("before", NpgsqlDbType.Bigint, before);

        var page = new List<StateItemRecord>(Math.Min(query.Limit, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            page.Add(new StateItemRecord(query.Collection, reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        return page;
    }

    // ---- Orleans IGrainStorage ----

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var record = await ReadAsync(stateName, grainId).ConfigureAwait(false);
        grainState.ETag = record.ETag;
        grainState.RecordExists = record.Data is not null;
        grainState.State = record.Data is null ? CreateDefault<T>() : JsonSerializer.Deserialize<T>(record.Data, StateJson.Options) ?? CreateDefault<T>();
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(stateName, grainId);
        // Serialized now, on the grain's turn: the state may change as soon as the grain's next turn runs.
        var data = PostgreSqlColumns.CheckText(StateJson.Serialize(grainState.State), nameof(grainState));
        var write = new PreparedWrite(data, grainState.ETag, Entries: null, Items: null);
        var etag = await _database.WriteAsync(key.LockKey, session => WriteAsync(session, key, write, _timeProvider.GetUtcNow()), CancellationToken.None)
            .ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <summary>Leaves a tombstone (the row with no data and a new version) and removes the state's journal and items.</summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(stateName, grainId);
        var expectedETag = grainState.ETag;
        var etag = await _database.WriteAsync(key.LockKey, async session =>
        {
            var version = await WriteStateAsync(session, key, data: null, keepData: false, expectedETag, entries: null, _timeProvider.GetUtcNow()).ConfigureAwait(false);
            await using (var deleteJournal = key.Bind(session.Command(DeleteJournalSql)))
                await deleteJournal.ExecuteNonQueryAsync().ConfigureAwait(false);
            await using (var deleteItems = key.Bind(session.Command(DeleteItemsSql)))
                await deleteItems.ExecuteNonQueryAsync().ConfigureAwait(false);
            return PostgreSqlColumns.ToETag(version);
        }, CancellationToken.None).ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = false;
        grainState.State = CreateDefault<T>();
    }

    // ---- writing ----

    /// <summary>Checks a journal write before it runs; what it finds wrong is thrown (and fails only that write).</summary>
    private static PreparedWrite Prepare(StateKey key, JournalWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(write.NewEntries);
        ArgumentNullException.ThrowIfNull(write.Items);
        if (write.Data is null && write.ExpectedETag is null)
            throw new ArgumentException($"A write of {key.StateName} on {key.GrainId} that keeps the stored data needs a stored row (an ETag).", nameof(write));
        if (write.Data is not null) PostgreSqlColumns.CheckText(write.Data, nameof(write));
        return new PreparedWrite(write.Data, write.ExpectedETag, JournalEntries.From(key, write.NewEntries), ItemColumns.From(write.Items));
    }

    private static async Task<string> WriteAsync(PostgreSqlWriteSession session, StateKey key, PreparedWrite write, DateTimeOffset now)
    {
        var version = await WriteStateAsync(session, key, write.Data, keepData: write.Data is null, write.ExpectedETag, write.Entries, now).ConfigureAwait(false);
        if (write.Items is { } items)
        {
            await using var upsert = key.Bind(session.Command(UpsertItemsSql))
                .Bind("item_collections", NpgsqlDbType.Array | NpgsqlDbType.Text, items.Collections)
                .Bind("item_keys", NpgsqlDbType.Array | NpgsqlDbType.Text, items.Keys)
                .Bind("item_sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint, items.Sequences)
                .Bind("item_data", NpgsqlDbType.Array | NpgsqlDbType.Text, items.Data);
            await upsert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return PostgreSqlColumns.ToETag(version);
    }

    /// <summary>
    /// Inserts the row (no ETag expected) or updates it if its version is the expected one, with its data or, when
    /// <paramref name="keepData"/>, without touching it; and appends <paramref name="entries"/>. Returns the new version.
    /// </summary>
    private static async Task<long> WriteStateAsync(PostgreSqlWriteSession session, StateKey key, string? data, bool keepData, string? expectedETag,
        JournalEntries? entries, DateTimeOffset now)
    {
        var expectedVersion = 0L;
        // An ETag this provider cannot have produced matches no row, like any other stale ETag.
        if (expectedETag is not null && !PostgreSqlColumns.TryFromETag(expectedETag, out expectedVersion))
            throw await ETagMismatchAsync(session, key, expectedETag).ConfigureAwait(false);

        var sql = (expectedETag is null, keepData, entries is null) switch
        {
            (true, _, true) => InsertStateSql,
            (true, _, false) => InsertStateWithJournalSql,
            (false, false, true) => UpdateStateSql,
            (false, false, false) => UpdateStateWithJournalSql,
            (false, true, true) => UpdateVersionSql,
            (false, true, false) => UpdateVersionWithJournalSql,
        };
        await using var command = key.Bind(session.Command(sql)).Bind("updated_at", NpgsqlDbType.TimestampTz, now);
        if (!keepData || expectedETag is null) command.Bind("data", NpgsqlDbType.Text, data);
        if (expectedETag is not null) command.Bind("version", NpgsqlDbType.Bigint, expectedVersion);

        long stateRows, journalRows = 0;
        if (entries is null)
        {
            stateRows = await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        else
        {
            command.Bind("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint, entries.Sequences)
                .Bind("categories", NpgsqlDbType.Array | NpgsqlDbType.Text, entries.Categories)
                .Bind("created_ats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, entries.CreatedAt)
                .Bind("entry_data", NpgsqlDbType.Array | NpgsqlDbType.Text, entries.Data)
                .Bind("first_sequence", NpgsqlDbType.Bigint, entries.Sequences[0]);
            try
            {
                await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
                await reader.ReadAsync().ConfigureAwait(false);
                stateRows = reader.GetInt64(0);
                journalRows = reader.GetInt64(1);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new InconsistentStateException(
                    $"Journal entries {entries.Sequences[0]} to {entries.Sequences[^1]} of {key.StateName} on {key.GrainId} were written by another writer.",
                    exception);
            }
        }

        if (stateRows == 0) throw await ETagMismatchAsync(session, key, expectedETag).ConfigureAwait(false);
        // The state was written but not the entries: throwing rolls the state back with them (the write's savepoint).
        if (entries is not null && journalRows != entries.Sequences.Length)
        {
            await using var last = key.Bind(session.Command(LastSequenceSql));
            var stored = await last.ExecuteScalarAsync().ConfigureAwait(false);
            throw new InconsistentStateException(
                $"Journal entry {entries.Sequences[0]} of {key.StateName} on {key.GrainId} does not follow the stored entry {stored}.");
        }
        return expectedETag is null ? 1 : expectedVersion + 1;
    }

    private static async Task<InconsistentStateException> ETagMismatchAsync(PostgreSqlWriteSession session, StateKey key, string? expectedETag)
    {
        await using var read = key.Bind(session.Command(ReadVersionSql));
        var stored = await read.ExecuteScalarAsync().ConfigureAwait(false) is long version ? PostgreSqlColumns.ToETag(version) : null;
        return new InconsistentStateException(
            $"ETag mismatch writing {key.StateName} of {key.GrainId}: stored {stored ?? "none"}, expected {expectedETag ?? "none"}.",
            stored!, expectedETag!);
    }

    private StateKey Key(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return new StateKey(_name, PostgreSqlColumns.CheckText(stateName, nameof(stateName)), PostgreSqlColumns.FromGrainId(grainId));
    }

    private static T CreateDefault<T>() =>
        typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance<T>() : default!;

    private readonly record struct StateKey(string StorageName, string StateName, string GrainId)
    {
        /// <summary>The row the write locks, for the writer's lock order. No part holds U+0000, so the parts cannot run together.</summary>
        public string LockKey => $"grain_state\0{StorageName}\0{StateName}\0{GrainId}";

        public NpgsqlCommand Bind(NpgsqlCommand command) => command
            .Bind("storage_name", NpgsqlDbType.Text, StorageName)
            .Bind("state_name", NpgsqlDbType.Text, StateName)
            .Bind("grain_id", NpgsqlDbType.Text, GrainId);
    }

    private sealed record PreparedWrite(string? Data, string? ExpectedETag, JournalEntries? Entries, ItemColumns? Items);

    /// <summary>Items as columns, checked before they run: no text holds U+0000; of one collection and key, the last one given wins.</summary>
    private sealed record ItemColumns(string[] Collections, string[] Keys, long[] Sequences, string[] Data)
    {
        public static ItemColumns? From(IReadOnlyList<StateItemRecord> items)
        {
            if (items.Count == 0) return null;
            // One statement cannot upsert a row twice (ON CONFLICT DO UPDATE refuses): keep the last of each key.
            var last = new Dictionary<(string, string), StateItemRecord>();
            foreach (var item in items)
            {
                ArgumentNullException.ThrowIfNull(item, nameof(items));
                ArgumentNullException.ThrowIfNull(item.Collection, nameof(items));
                ArgumentNullException.ThrowIfNull(item.Key, nameof(items));
                ArgumentNullException.ThrowIfNull(item.Data, nameof(items));
                last[(item.Collection, item.Key)] = item;
            }
            var columns = new ItemColumns(new string[last.Count], new string[last.Count], new long[last.Count], new string[last.Count]);
            var i = 0;
            foreach (var item in last.Values)
            {
                columns.Collections[i] = PostgreSqlColumns.CheckText(item.Collection, nameof(items));
                columns.Keys[i] = PostgreSqlColumns.CheckText(item.Key, nameof(items));
                columns.Sequences[i] = item.Sequence;
                columns.Data[i] = PostgreSqlColumns.CheckText(item.Data, nameof(items));
                i++;
            }
            return columns;
        }
    }

    /// <summary>New journal entries as columns, checked before they run: sequences strictly increase, no text holds U+0000.</summary>
    private sealed record JournalEntries(long[] Sequences, string?[] Categories, long[] CreatedAt, string[] Data)
    {
        public static JournalEntries? From(StateKey key, IReadOnlyList<JournalRecord> entries)
        {
            if (entries.Count == 0) return null;
            var columns = new JournalEntries(new long[entries.Count], new string?[entries.Count], new long[entries.Count], new string[entries.Count]);
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i] ?? throw new ArgumentException("A journal entry is null.", nameof(entries));
                ArgumentNullException.ThrowIfNull(entry.Data, nameof(entries));
                if (i > 0 && entry.Sequence <= columns.Sequences[i - 1])
                {
                    throw new InconsistentStateException(
                        $"Journal entries of {key.StateName} on {key.GrainId} must have increasing sequences: {entry.Sequence} follows {columns.Sequences[i - 1]}.");
                }
                columns.Sequences[i] = entry.Sequence;
                columns.Categories[i] = entry.Category is null ? null : PostgreSqlColumns.CheckText(entry.Category, nameof(entries));
                columns.CreatedAt[i] = PostgreSqlColumns.FromTimestamp(entry.Timestamp);
                columns.Data[i] = PostgreSqlColumns.CheckText(entry.Data, nameof(entries));
            }
            return columns;
        }
    }
}
