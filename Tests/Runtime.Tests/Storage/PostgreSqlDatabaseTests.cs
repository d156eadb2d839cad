using Granary.Hosting;
using Granary.PostgreSql;
using Granary.Reminders;
using Granary.Storage;
using Npgsql;
using Xunit;

namespace Granary.Tests.Storage;

[PostgreSqlTests]
public sealed class PostgreSqlDatabaseTests : IAsyncLifetime
{
    private static readonly string[] Tables = ["grain_journal", "grain_state", "grain_state_item", "reminders", "schema_version", "silos"];

    private readonly PostgreSqlTestDatabase _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task Starting_creates_the_schema_its_tables_and_records_every_migration()
    {
        Assert.Equal(false, await _schema.ScalarAsync($"SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{_schema.Schema}')"));

        var database = await _schema.StartAsync();

        Assert.Equal(SiloLifecycleStage.RuntimeStorage, database.Stage);
        Assert.Equal(_schema.Schema, database.Schema);
        Assert.Equal(Tables, await TablesAsync());
        Assert.Equal(PostgreSqlSchema.Migrations.Select(migration => (migration.Version, migration.Name)), await AppliedMigrationsAsync());
        Assert.Equal(["001_GrainStorage", "002_Reminders", "003_Membership", "004_GrainStateItems"], PostgreSqlSchema.Migrations.Select(migration => migration.Name));
    }

    [Fact]
    public async Task Four_silos_starting_at_once_on_an_empty_schema_all_start_and_migrate_it_once()
    {
        var databases = Enumerable.Range(0, 4).Select(_ => _schema.Create()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var starts = databases.Select(database => Task.Run(async () =>
        {
            await start.Task;
            await database.OnStartAsync(CancellationToken.None);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(starts);

        Assert.Equal(Tables, await TablesAsync());
        Assert.Equal(PostgreSqlSchema.Migrations.Select(migration => (migration.Version, migration.Name)), await AppliedMigrationsAsync());
        var grain = GrainId.Create("wallet", "w");
        var eTags = await Task.WhenAll(databases.Select((database, i) => Storage(database).WriteAsync($"state{i}", grain, GrainStateWrite.StateOnly("{}", null))));
        Assert.All(eTags, eTag => Assert.Equal("1", eTag));
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_and_every_script_is_idempotent()
    {
        var first = await _schema.StartAsync();
        var grain = GrainId.Create("wallet", "w");
        var eTag = await Storage(first).WriteAsync("state", grain, new GrainStateWrite("{}", null, [new JournalRecord(1, "charge", DateTimeOffset.UnixEpoch, "{}")]));
        var reminder = await new PostgreSqlReminderTable(first).UpsertRowAsync(new ReminderEntry(grain, "r", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1)));
        await first.OnStopAsync(CancellationToken.None);
        var appliedAt = await _schema.ScalarAsync("SELECT max(applied_at) FROM schema_version");

        // A restart finds every migration applied and runs none.
        var second = await _schema.StartAsync();
        await second.OnStopAsync(CancellationToken.None);
        Assert.Equal(appliedAt, await _schema.ScalarAsync("SELECT max(applied_at) FROM schema_version"));

        // With the record lost, every script runs again over the existing tables without harm.
        await _schema.ExecuteAsync("DELETE FROM schema_version");
        var third = await _schema.StartAsync();

        Assert.Equal(PostgreSqlSchema.Migrations.Select(migration => (migration.Version, migration.Name)), await AppliedMigrationsAsync());
        Assert.Equal(new GrainStateRecord("{}", eTag), await Storage(third).ReadAsync("state", grain));
        Assert.Single(await Storage(third).ReadJournalAsync("state", grain, new JournalQuery(null, 10)));
        Assert.Equal(reminder, (await new PostgreSqlReminderTable(third).ReadRowAsync(grain, "r"))!.ETag);
        Assert.NotEqual(reminder, await new PostgreSqlReminderTable(third).UpsertRowAsync(new ReminderEntry(grain, "r", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1))));
    }

    [Fact]
    public async Task A_migration_waits_for_the_one_holding_the_migration_lock()
    {
        await using var holder = await OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgreSqlSchema.MigrationLockKey})", holder))
            await lockCommand.ExecuteNonQueryAsync();

        var starting = _schema.Create().OnStartAsync(CancellationToken.None);
        await Task.Delay(300);

        Assert.False(starting.IsCompleted);
        Assert.Equal(false, await _schema.ScalarAsync($"SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{_schema.Schema}')"));
        await transaction.CommitAsync();
        await starting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Tables, await TablesAsync());
    }

    [Fact]
    public async Task A_silo_whose_role_can_only_read_and_write_starts_on_a_migrated_schema()
    {
        await (await _schema.StartAsync()).OnStopAsync(CancellationToken.None);
        var role = $"granary_test_writer_{Guid.NewGuid():N}";
        await _schema.ExecuteAsync($"""
            CREATE ROLE {role} LOGIN PASSWORD 'writer';
            REVOKE CREATE ON SCHEMA public FROM {role};
            GRANT USAGE ON SCHEMA "{_schema.Schema}" TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{_schema.Schema}" TO {role};
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{_schema.Schema}" TO {role};
            """);
        try
        {
            var options = _schema.NewOptions();
            options.ConnectionString = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { Username = role, Password = "writer" }.ConnectionString;
            var database = await _schema.StartAsync(options);
            var grain = GrainId.Create("wallet", "w");

            Assert.Equal("1", await Storage(database).WriteAsync("state", grain, GrainStateWrite.StateOnly("{}", null)));
            Assert.NotNull(await new PostgreSqlReminderTable(database).UpsertRowAsync(new ReminderEntry(grain, "r", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1))));
            await database.OnStopAsync(CancellationToken.None);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await _schema.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_database_starts_once_and_refuses_reads_and_writes_before_start_and_after_stop()
    {
        var database = _schema.Create();
        var storage = Storage(database);
        var grain = GrainId.Create("wallet", "w");

        var early = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteAsync("state", grain, GrainStateWrite.StateOnly("{}", null)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync("state", grain));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new PostgreSqlReminderTable(database).ReadAllRowsAsync());
        Assert.Contains("not been started", early.Message);

        await database.OnStartAsync(CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.OnStartAsync(CancellationToken.None));
        await database.OnStopAsync(CancellationToken.None);

        var late = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteAsync("state", grain, GrainStateWrite.StateOnly("{}", null)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync("state", grain));
        Assert.Contains("stopped", late.Message);
    }

    [Fact]
    public async Task Stopping_commits_the_queued_writes_and_refuses_new_ones()
    {
        const int queued = 100;
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grains = Enumerable.Range(0, queued).Select(i => GrainId.Create("wallet", $"w{i}")).ToArray();
        Task<string>[] writes = [];
        Task? stopping = null;

        await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        {
            writes = [.. grains.Select(grain => storage.WriteAsync("state", grain, GrainStateWrite.StateOnly(grain.Key, null)))];
            stopping = database.OnStopAsync(CancellationToken.None);
            return writes;
        });
        await stopping!;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteAsync("state", grains[0], GrainStateWrite.StateOnly("late", "1")));
        Assert.Contains("stopped", refused.Message);
        foreach (var write in writes) Assert.Equal("1", await write);

        var reopened = Storage(await _schema.StartAsync());
        foreach (var grain in grains)
            Assert.Equal(new GrainStateRecord(grain.Key, "1"), await reopened.ReadAsync("state", grain));
    }

    [Fact]
    public async Task A_batch_never_holds_more_writes_than_the_batch_size()
    {
        var database = await _schema.StartAsync(_schema.NewOptions(maxBatchSize: 3));
        var transactions = new List<long>();

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<long>(database, () =>
            [.. Enumerable.Range(0, 7).Select(_ => database.WriteAsync(async session =>
            {
                await using var command = session.Command("SELECT txid_current()");
                return (long)(await command.ExecuteScalarAsync())!;
            }, CancellationToken.None))]);

        foreach (var write in writes) transactions.Add(await write);
        Assert.Equal([3, 3, 1], transactions.GroupBy(id => id).Select(group => group.Count()));
    }

    [Fact]
    public async Task The_connections_use_the_schema_as_search_path_and_name_the_application()
    {
        var database = await _schema.StartAsync();

        var (searchPath, application) = await database.WriteAsync(async session =>
        {
            await using var command = session.Command("SELECT current_setting('search_path'), current_setting('application_name')");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetString(0), reader.GetString(1));
        }, CancellationToken.None);

        Assert.Equal($"\"{_schema.Schema}\"", searchPath);
        Assert.Equal("granary", application);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<string[]> TablesAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema ORDER BY table_name", connection);
        command.Parameters.AddWithValue("schema", _schema.Schema);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return [.. tables];
    }

    private Task<(int Version, string Name)[]> AppliedMigrationsAsync() => _schema.QueryAsync(async connection =>
    {
        await using var command = new NpgsqlCommand("SELECT version, name FROM schema_version ORDER BY version", connection);
        var rows = new List<(int, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.GetString(1)));
        return rows.ToArray();
    });

    private static PostgreSqlGrainStorage Storage(PostgreSqlDatabase database) => new(StorageNames.Default, database, TimeProvider.System);
}
