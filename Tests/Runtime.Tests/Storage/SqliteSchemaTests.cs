using Granary.Sqlite;
using Granary.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Granary.Tests.Storage;

/// <summary>The layout of the SQLite tables, and the one-time rebuild of tables an older version created.</summary>
public sealed class SqliteSchemaTests : IAsyncLifetime
{
    private static readonly GrainId Grain = GrainId.Create("wallet", "w");

    private readonly SqliteTestDatabase _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task The_journal_and_the_items_are_kept_in_key_order_without_a_rowid()
    {
        var database = await _folder.StartAsync();
        await database.OnStopAsync(CancellationToken.None);

        using var connection = Open(database);
        Assert.False(SqliteSchema.HasRowid(connection, null, "grain_journal"));
        Assert.False(SqliteSchema.HasRowid(connection, null, "grain_state_item"));
        Assert.True(SqliteSchema.HasRowid(connection, null, "grain_state"));
    }

    [Fact]
    public async Task Tables_an_older_version_created_with_a_rowid_are_rebuilt_once_with_every_row()
    {
        var database = await _folder.StartAsync();
        var storage = new SqliteGrainStorage(StorageNames.Default, database, TimeProvider.System);
        var entries = Enumerable.Range(1, 40).Select(i => new JournalRecord(i, i % 3 == 0 ? "refund" : "charge", DateTimeOffset.UnixEpoch.AddSeconds(i), $$"""{"n":{{i}}}""")).ToArray();
        GrainStateItem[] items = [new("0000000000", "[0]"), new("0000000001", "[1]")];
        var eTag = await storage.WriteAsync("wallet", Grain, new GrainStateWrite("{}", null, entries, items));
        await database.OnStopAsync(CancellationToken.None);
        using (var connection = Open(database)) Execute(connection, OlderLayout);

        var reopened = await _folder.StartAsync();
        var rebuilt = new SqliteGrainStorage(StorageNames.Default, reopened, TimeProvider.System);

        using (var connection = Open(reopened))
        {
            Assert.False(SqliteSchema.HasRowid(connection, null, "grain_journal"));
            Assert.False(SqliteSchema.HasRowid(connection, null, "grain_state_item"));
            Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'grain_journal_category'"));
        }
        Assert.Equal(new GrainStateRecord("{}", eTag), await rebuilt.ReadAsync("wallet", Grain));
        Assert.Equal(entries.AsEnumerable().Reverse(), await rebuilt.ReadJournalAsync("wallet", Grain, new JournalQuery(null, 100)));
        Assert.Equal(entries.Where(e => e.Category == "refund").Reverse(), await rebuilt.ReadJournalAsync("wallet", Grain, new JournalQuery(null, 100, ["refund"])));
        Assert.Equal(items, await rebuilt.ReadItemsAsync("wallet", Grain, null, 10));
        var next = await rebuilt.WriteAsync("wallet", Grain, new GrainStateWrite(null, eTag, [new JournalRecord(41, null, DateTimeOffset.UnixEpoch, "{}")]));
        Assert.NotEqual(eTag, next);

        await reopened.OnStopAsync(CancellationToken.None);
        var again = await _folder.StartAsync();
        Assert.Equal(41, (await new SqliteGrainStorage(StorageNames.Default, again, TimeProvider.System).ReadJournalAsync("wallet", Grain, new JournalQuery(null, 100))).Count);
    }

    /// <summary>The journal and the items as 001 and 004 created them before they were WITHOUT ROWID, rows kept.</summary>
    private const string OlderLayout = """
        CREATE TABLE journal_older
        (
            storage_name TEXT NOT NULL, state_name TEXT NOT NULL, grain_id TEXT NOT NULL, sequence INTEGER NOT NULL,
            category TEXT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (storage_name, state_name, grain_id, sequence),
            FOREIGN KEY (storage_name, state_name, grain_id) REFERENCES grain_state (storage_name, state_name, grain_id)
        );
        INSERT INTO journal_older SELECT storage_name, state_name, grain_id, sequence, category, created_at, data FROM grain_journal;
        DROP TABLE grain_journal;
        ALTER TABLE journal_older RENAME TO grain_journal;
        CREATE INDEX grain_journal_category ON grain_journal (storage_name, state_name, grain_id, category, sequence);
        CREATE TABLE items_older
        (
            storage_name TEXT NOT NULL, state_name TEXT NOT NULL, grain_id TEXT NOT NULL, item_key TEXT NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (storage_name, state_name, grain_id, item_key)
        );
        INSERT INTO items_older SELECT storage_name, state_name, grain_id, item_key, data FROM grain_state_item;
        DROP TABLE grain_state_item;
        ALTER TABLE items_older RENAME TO grain_state_item;
        """;

    private static SqliteConnection Open(SqliteDatabase database)
    {
        var connection = new SqliteConnection($"Data Source={database.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
        Assert.True(SqliteSchema.HasRowid(connection, null, "grain_journal"));
        Assert.True(SqliteSchema.HasRowid(connection, null, "grain_state_item"));
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
