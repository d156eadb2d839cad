using Granary.PostgreSql;
using Granary.Storage;
using Npgsql;
using Xunit;

namespace Granary.Tests.Storage;

[PostgreSqlTests]
public sealed class PostgreSqlGrainStorageConformanceTests : GrainStorageConformance, IAsyncLifetime
{
    private readonly PostgreSqlTestDatabase _schema = new();

    protected override async Task<IGrainStorage> CreateStorageAsync() => Storage(await _schema.StartAsync());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task State_and_journal_survive_reopening_the_database()
    {
        var grain = NewGrainId();
        var first = await _schema.StartAsync();
        var eTag = await Storage(first).WriteAsync(StateName, grain, WriteWith("kept", null, Entry(1, "charge"), Entry(2)));
        var tombstone = await Storage(first).ClearAsync("cleared", grain, null);
        await first.OnStopAsync(CancellationToken.None);

        var storage = Storage(await _schema.StartAsync());

        Assert.Equal(new GrainStateRecord("kept", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1, "charge")], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        Assert.Equal(new GrainStateRecord(null, tombstone), await storage.ReadAsync("cleared", grain));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("cleared", grain, GrainStateWrite.StateOnly("x", null)));
    }

    [Fact]
    public async Task Providers_with_different_names_do_not_share_rows()
    {
        var database = await _schema.StartAsync();
        var grain = NewGrainId();
        var main = new PostgreSqlGrainStorage("Default", database, TimeProvider.System);
        var archive = new PostgreSqlGrainStorage("Archive", database, TimeProvider.System);

        var eTag = await main.WriteAsync(StateName, grain, WriteWith("main", null, Entry(1)));

        Assert.Equal(GrainStateRecord.None, await archive.ReadAsync(StateName, grain));
        Assert.Empty(await archive.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        await archive.WriteAsync(StateName, grain, WriteWith("archive", null, Entry(1)));
        Assert.Equal(new GrainStateRecord("main", eTag), await main.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task A_conflicting_write_fails_alone_and_the_rest_of_its_batch_commits()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var contested = NewGrainId();
        var stale = await storage.WriteAsync(StateName, contested, WriteWith("1", null, Entry(1)));
        var current = await storage.WriteAsync(StateName, contested, WriteWith("2", stale, Entry(2)));
        var others = Enumerable.Range(0, 10).Select(_ => NewGrainId()).ToArray();

        // Hold the writer so that everything below is queued and committed as one transaction.
        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        [
            .. others.Take(5).Select(grain => storage.WriteAsync(StateName, grain, WriteWith("ok", null, Entry(1)))),
            storage.WriteAsync(StateName, contested, WriteWith("lost", stale, Entry(3))),
            storage.WriteAsync(StateName, contested, WriteWith("duplicate", current, Entry(2))),
            storage.WriteAsync(StateName, contested, WriteWith("insert over a row", null, Entry(9))),
            .. others.Skip(5).Select(grain => storage.WriteAsync(StateName, grain, WriteWith("ok", null, Entry(1)))),
        ]);

        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[5]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[6]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[7]);
        foreach (var grain in others)
        {
            Assert.Equal("ok", (await storage.ReadAsync(StateName, grain)).Data);
            Assert.Equal([Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        }
        Assert.Equal(new GrainStateRecord("2", current), await storage.ReadAsync(StateName, contested));
        Assert.Equal([Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, contested, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task Writes_to_one_grain_in_one_batch_apply_in_order()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        [
            storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1))),
            storage.WriteAsync(StateName, grain, WriteWith("2", "1", Entry(2))),
            storage.WriteAsync(StateName, grain, WriteWith("stale", "1", Entry(3))),
            storage.WriteAsync(StateName, grain, WriteWith("3", "2", Entry(3))),
        ]);

        Assert.Equal("1", await writes[0]);
        Assert.Equal("2", await writes[1]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[2]);
        Assert.Equal("3", await writes[3]);
        Assert.Equal(new GrainStateRecord("3", "3"), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(3), Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task A_write_canceled_while_queued_is_never_applied()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();
        using var cancellation = new CancellationTokenSource();

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        {
            var write = storage.WriteAsync(StateName, grain, WriteWith("canceled", null, Entry(1)), cancellation.Token);
            cancellation.Cancel();
            return [write];
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writes[0]);
        Assert.Equal(GrainStateRecord.None, await storage.ReadAsync(StateName, grain));
        Assert.Empty(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task Silos_racing_on_one_etag_have_exactly_one_winner()
    {
        // Four silos, each with its own writer and connection: only the database can decide.
        var silos = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _schema.StartAsync()));
        var storages = silos.Select(Storage).ToArray();
        var grain = NewGrainId();
        var eTag = await storages[0].WriteAsync(StateName, grain, WriteWith("start", null, Entry(1)));

        for (var round = 0; round < 5; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, 40).Select(async i =>
            {
                await start.Task;
                try
                {
                    return (Index: i, ETag: (string?)await storages[i % storages.Length].WriteAsync(StateName, grain,
                        WriteWith($"round {round} writer {i}", eTag, Entry(1000 * (round + 1) + i))), Error: (Exception?)null);
                }
                catch (Exception exception)
                {
                    return (Index: i, ETag: null, Error: exception);
                }
            }).ToArray();
            start.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            var winner = Assert.Single(outcomes, outcome => outcome.ETag is not null);
            Assert.All(outcomes.Where(outcome => outcome.Index != winner.Index), outcome => Assert.IsType<InconsistentStateException>(outcome.Error));
            Assert.Equal(new GrainStateRecord($"round {round} writer {winner.Index}", winner.ETag), await storages[3].ReadAsync(StateName, grain));
            Assert.Equal(Entry(1000 * (round + 1) + winner.Index), (await storages[2].ReadJournalAsync(StateName, grain, new JournalQuery(null, 1)))[0]);
            eTag = winner.ETag!;
        }
        Assert.Equal(6, (await storages[1].ReadJournalAsync(StateName, grain, new JournalQuery(null, 100))).Count);
    }

    [Fact]
    public async Task Silos_racing_to_create_one_state_have_exactly_one_winner()
    {
        var silos = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _schema.StartAsync()));
        var storages = silos.Select(Storage).ToArray();
        var grain = NewGrainId();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Index: i, ETag: (string?)await storages[i % storages.Length].WriteAsync(StateName, grain, WriteWith($"writer {i}", null, Entry(100 + i))));
            }
            catch (InconsistentStateException)
            {
                return (Index: i, ETag: null);
            }
        })));

        var winner = Assert.Single(outcomes, outcome => outcome.ETag is not null);
        Assert.Equal(new GrainStateRecord($"writer {winner.Index}", "1"), await storages[0].ReadAsync(StateName, grain));
        Assert.Equal([Entry(100 + winner.Index)], await storages[1].ReadJournalAsync(StateName, grain, new JournalQuery(null, 100)));
    }

    [Fact]
    public async Task When_commit_fails_every_write_of_the_batch_fails_and_none_is_applied()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();
        var other = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("before", null));

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        [
            storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("after", eTag)),
            storage.WriteAsync(StateName, other, GrainStateWrite.StateOnly("new", null)),
            // A deferred constraint passes the statement and fails the COMMIT.
            database.WriteAsync(async session =>
            {
                await session.ExecuteAsync("""
                    CREATE TEMP TABLE commit_failure (id integer, CONSTRAINT commit_failure_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP;
                    INSERT INTO commit_failure VALUES (1), (1);
                    """);
                return "deferred";
            }, CancellationToken.None),
        ]);

        foreach (var write in writes)
        {
            var exception = await Assert.ThrowsAsync<PostgresException>(() => write);
            Assert.Equal(PostgresErrorCodes.UniqueViolation, exception.SqlState);
        }
        Assert.Equal(new GrainStateRecord("before", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal(GrainStateRecord.None, await storage.ReadAsync(StateName, other));
        Assert.Equal("2", await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("after", eTag)));
    }

    [Fact]
    public async Task A_statement_error_fails_its_write_alone()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grains = Enumerable.Range(0, 2).Select(_ => NewGrainId()).ToArray();

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        [
            storage.WriteAsync(StateName, grains[0], GrainStateWrite.StateOnly("first", null)),
            database.WriteAsync(async session =>
            {
                await session.ExecuteAsync("SELECT 1 / 0");
                return "unreachable";
            }, CancellationToken.None),
            storage.WriteAsync(StateName, grains[1], GrainStateWrite.StateOnly("second", null)),
        ]);

        Assert.Equal("1", await writes[0]);
        Assert.Equal(PostgresErrorCodes.DivisionByZero, (await Assert.ThrowsAsync<PostgresException>(() => writes[1])).SqlState);
        Assert.Equal("1", await writes[2]);
        Assert.Equal("first", (await storage.ReadAsync(StateName, grains[0])).Data);
        Assert.Equal("second", (await storage.ReadAsync(StateName, grains[1])).Data);
    }

    [Fact]
    public async Task A_write_that_fails_before_sending_a_statement_fails_alone()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grains = Enumerable.Range(0, 2).Select(_ => NewGrainId()).ToArray();

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        [
            storage.WriteAsync(StateName, grains[0], GrainStateWrite.StateOnly("first", null)),
            database.WriteAsync<string>(_ => throw new InvalidOperationException("refused before any statement"), CancellationToken.None),
            storage.WriteAsync(StateName, grains[1], GrainStateWrite.StateOnly("second", null)),
        ]);

        Assert.Equal("1", await writes[0]);
        Assert.Equal("refused before any statement", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[1])).Message);
        Assert.Equal("1", await writes[2]);
        Assert.Equal("first", (await storage.ReadAsync(StateName, grains[0])).Data);
        Assert.Equal("second", (await storage.ReadAsync(StateName, grains[1])).Data);
    }

    [Fact]
    public async Task A_write_whose_savepoint_was_never_taken_fails_the_batch_rather_than_undo_the_write_before_it()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        [
            storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("first", null)),
            // The command carries the savepoint but is never sent: the savepoint does not exist when the writer rolls back to it.
            database.WriteAsync<string>(session =>
            {
                using var unsent = session.Command("SELECT 1");
                throw new InvalidOperationException("failed before sending");
            }, CancellationToken.None),
        ]);

        Assert.Equal(PostgresErrorCodes.InvalidSavepointSpecification, (await Assert.ThrowsAsync<PostgresException>(() => writes[0])).SqlState);
        Assert.Equal("failed before sending", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[1])).Message);
        Assert.Equal(GrainStateRecord.None, await storage.ReadAsync(StateName, grain));
        Assert.Equal("1", await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("next batch", null)));
    }

    [Fact]
    public async Task The_writer_replaces_a_connection_the_server_closed()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();
        var pid = await WriterProcessAsync(database);

        Assert.Equal(true, await _schema.ScalarAsync($"SELECT pg_terminate_backend({pid})"));
        await WaitUntilAsync(async () => await _schema.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}") is 0L);

        var eTag = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("after the restart", null));

        Assert.Equal(new GrainStateRecord("after the restart", eTag), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task A_write_picked_as_deadlock_victim_runs_again_after_its_batch_commits()
    {
        var database = await _schema.StartAsync();
        var storage = Storage(database);
        // The writer runs a batch in row order: low before high.
        var grains = new[] { NewGrainId(), NewGrainId() }.OrderBy(grain => grain.ToString(), StringComparer.Ordinal).ToArray();
        var (low, high) = (grains[0], grains[1]);
        foreach (var grain in grains) await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("before", null));
        var writer = await WriterProcessAsync(database);

        // Another client locks the rows in the opposite order; it waits longer before looking for deadlocks, so the
        // writer is the one that finds the deadlock and is its victim.
        var builder = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { SearchPath = $"\"{_schema.Schema}\"", Pooling = false };
        await using var other = new NpgsqlConnection(builder.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await OtherAsync("SET LOCAL deadlock_timeout = '10s'");
        await OtherAsync($"UPDATE grain_state SET updated_at = now() WHERE grain_id = '{high}'");

        var writes = await PostgreSqlTestDatabase.WhileWriterIsHeldAsync<string>(database, () =>
        [
            storage.WriteAsync(StateName, high, GrainStateWrite.StateOnly("high", "1")),
            storage.WriteAsync(StateName, low, GrainStateWrite.StateOnly("low", "1")),
        ], waitForWrites: false);
        await WaitUntilAsync(async () => await _schema.ScalarAsync(
            $"SELECT count(*) FROM pg_stat_activity WHERE pid = {writer} AND wait_event_type = 'Lock'") is 1L);
        var otherLocksLow = OtherAsync($"UPDATE grain_state SET updated_at = now() WHERE grain_id = '{low}'");

        Assert.Equal("2", await writes[1].WaitAsync(TimeSpan.FromSeconds(30)));
        await otherLocksLow.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(writes[0].IsCompleted);
        await transaction.CommitAsync();

        Assert.Equal("2", await writes[0].WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(new GrainStateRecord("high", "2"), await storage.ReadAsync(StateName, high));
        Assert.Equal(new GrainStateRecord("low", "2"), await storage.ReadAsync(StateName, low));

        async Task OtherAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, other, transaction);
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Text_the_server_cannot_store_is_refused_before_it_is_queued()
    {
        var storage = Storage(await _schema.StartAsync());

        await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteAsync(StateName, NewGrainId(), GrainStateWrite.StateOnly("a\0b", null)));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteAsync(StateName, GrainId.Create("wallet", "a\0b"), GrainStateWrite.StateOnly("{}", null)));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteAsync(StateName, NewGrainId(), WriteWith("{}", null, new JournalRecord(1, null, DateTimeOffset.UnixEpoch, "\0"))));
    }

    /// <summary>The server process of the writer's connection.</summary>
    private static Task<int> WriterProcessAsync(PostgreSqlDatabase database) => database.WriteAsync(async session =>
    {
        await using var command = session.Command("SELECT pg_backend_pid()");
        return (int)(await command.ExecuteScalarAsync())!;
    }, CancellationToken.None);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 10 seconds.");
            await Task.Delay(20);
        }
    }

    private static PostgreSqlGrainStorage Storage(PostgreSqlDatabase database) => new(StorageNames.Default, database, TimeProvider.System);
}
