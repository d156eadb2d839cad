using AdWallet.GatewaySimulator.Options;
using AdWallet.GatewaySimulator.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AdWallet.GatewaySimulator.Tests;

/// <summary>
/// The simulator's writer: concurrent writes share transactions (group commit), each is rolled back alone if it
/// throws, and each caller is answered with what its own write did once it is committed.
/// </summary>
public sealed class GatewayDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-db-").FullName;

    [Fact]
    public async Task Concurrent_writes_each_commit_or_roll_back_alone_and_answer_their_own_outcome()
    {
        using (var database = Open())
        {
            await database.WriteAsync(connection => connection.Execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY)"));

            // Every third write inserts its row and then throws: its row must not be stored, and its caller gets the exception.
            var writes = Enumerable.Range(1, 300).Select(n => database.WriteAsync(connection =>
            {
                connection.Execute("INSERT INTO numbers (n) VALUES ($n)", ("$n", n));
                if (n % 3 == 0) throw new InvalidOperationException($"write {n} refused");
                return n;
            })).ToList();

            for (var n = 1; n <= 300; n++)
            {
                if (n % 3 == 0)
                    Assert.Equal($"write {n} refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[n - 1])).Message);
                else
                    Assert.Equal(n, await writes[n - 1]);
            }
        }

        // What was answered as committed is in the file, after the writer has closed it; nothing else is.
        using var reopened = Open();
        var stored = reopened.Read(connection => connection.Query(reader => reader.GetInt64(0), "SELECT n FROM numbers ORDER BY n"));
        Assert.Equal(Enumerable.Range(1, 300).Where(n => n % 3 != 0).Select(n => (long)n), stored);
    }

    [Fact]
    public async Task A_statement_the_writer_has_prepared_runs_again_in_later_transactions_after_one_failed()
    {
        using var database = Open();
        await database.WriteAsync(connection => connection.Execute("CREATE TABLE keys (k TEXT PRIMARY KEY)"));
        const string Insert = "INSERT INTO keys (k) VALUES ($k)";

        // One transaction per write (each awaited), all through the one prepared INSERT; the second fails on the key.
        await database.WriteAsync(connection => connection.Execute(Insert, ("$k", "a")));
        await Assert.ThrowsAsync<SqliteException>(() => database.WriteAsync(connection => connection.Execute(Insert, ("$k", "a"))));
        await database.WriteAsync(connection => connection.Execute(Insert, ("$k", "b")));
        await database.WriteAsync(connection => connection.Execute(Insert, ("$k", "c")));

        var stored = database.Read(connection => connection.Query(reader => reader.GetString(0), "SELECT k FROM keys ORDER BY k"));
        Assert.Equal(["a", "b", "c"], stored);
    }

    [Fact]
    public async Task A_write_sees_what_the_writes_queued_before_it_did()
    {
        using var database = Open();
        await database.WriteAsync(connection => connection.Execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)"));
        await database.WriteAsync(connection => connection.Execute("INSERT INTO counter (id, value) VALUES (1, 0)"));

        // Read-then-write inside each write: run one after the other, no increment is lost.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => database.WriteAsync(connection =>
        {
            var value = connection.ScalarLong("SELECT value FROM counter WHERE id = 1");
            return connection.Execute("UPDATE counter SET value = $value WHERE id = 1", ("$value", value + 1));
        })));

        Assert.Equal(200, database.Read(connection => connection.ScalarLong("SELECT value FROM counter WHERE id = 1")));
    }

    private GatewayDatabase Open() =>
        new(Microsoft.Extensions.Options.Options.Create(new SimulatorOptions { DataPath = _folder }), NullLogger<GatewayDatabase>.Instance);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
