using Npgsql;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// The naive design of a charge on PostgreSQL, without a silo: one transaction per charge on a connection of its own
/// per worker (a scratch database, a pool as large as the workers), with prepared statements: read the balance and
/// its version, insert the ledger row, update the balance on the condition that the version is still the one read,
/// COMMIT; when another charge changed the wallet in between (no row updated), ROLLBACK and try again. Answered after
/// COMMIT (synchronous_commit as the server has it, on by default, as the platform's storage sees it).
/// </summary>
internal abstract class NaivePostgresCharges : Scenario
{
    private const string Schema = """
        CREATE TABLE wallet (id text PRIMARY KEY, balance bigint NOT NULL, version bigint NOT NULL);
        CREATE TABLE ledger (id bigserial PRIMARY KEY, wallet_id text NOT NULL REFERENCES wallet (id), amount bigint NOT NULL,
                             balance_after bigint NOT NULL, reference text NOT NULL, created_at timestamptz NOT NULL,
                             UNIQUE (wallet_id, reference));
        """;

    private BenchPostgres? _database;
    private NpgsqlDataSource? _dataSource;
    private readonly List<NpgsqlConnection> _connections = [];
    private long _acknowledged;
    private long _conflicts;
    private long _next;

    /// <summary>How many wallet rows; each charge picks one uniformly.</summary>
    protected abstract int Wallets { get; }

    private static string WalletId(int i) => "w" + i;

    public override IReadOnlyList<int> Concurrency => [1, 8, 32];

    public override bool UsesSilo => false;

    protected static string Transaction =>
        "per charge one PostgreSQL transaction on the worker's own connection (READ COMMITTED; SELECT balance, version; INSERT a ledger row; " +
        "UPDATE wallet SET balance, version = version + 1 WHERE version = the one read; COMMIT, or ROLLBACK and retry when another " +
        "charge got there first), answered after COMMIT; prepared statements, a scratch database on the same server as the platform's, " +
        "one pooled connection per worker. Run at 1, 8 and 32 connections: more only thrash on the wallet row";

    public override async Task InitializeAsync(PointSetup point)
    {
        _acknowledged = 0;
        _conflicts = 0;
        _database = await BenchPostgres.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString(point.Workers + 1));
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var command = new NpgsqlCommand(Schema, connection)) await command.ExecuteNonQueryAsync();
        await using (var command = new NpgsqlCommand(
            "INSERT INTO wallet (id, balance, version) SELECT 'w' || i, 0, 0 FROM generate_series(0, $1 - 1) AS i", connection))
        {
            command.Parameters.AddWithValue(Wallets);
            await command.ExecuteNonQueryAsync();
        }
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        Worker? state = null;
        return async () =>
        {
            state ??= await OpenAsync();
            var wallet = WalletId(Wallets == 1 ? 0 : Random.Shared.Next(Wallets));
            var reference = "n" + Interlocked.Increment(ref _next);
            while (!await state.ChargeAsync(wallet, reference)) Interlocked.Increment(ref _conflicts);
            Interlocked.Increment(ref _acknowledged);
        };
    }

    private async Task<Worker> OpenAsync()
    {
        var connection = await _dataSource!.OpenConnectionAsync();
        lock (_connections) _connections.Add(connection);
        return await Worker.PrepareAsync(connection);
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var acknowledged = Interlocked.Read(ref _acknowledged);
        var expected = Scenarios.HotWallet.Amount * acknowledged;
        await using var connection = await _dataSource!.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT COALESCE(SUM(balance), 0) FROM wallet)::bigint,
                   (SELECT COUNT(*) FROM ledger),
                   (SELECT COALESCE(SUM(amount), 0) FROM ledger)::bigint,
                   (SELECT COUNT(*) FROM wallet w WHERE w.balance <> (SELECT COALESCE(SUM(amount), 0) FROM ledger l WHERE l.wallet_id = w.id)),
                   (SELECT COUNT(*) FROM wallet w WHERE w.balance <> COALESCE((SELECT balance_after FROM ledger l WHERE l.wallet_id = w.id ORDER BY l.id DESC LIMIT 1), 0))
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (total, entries, sum, unbalanced, lastWrong) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        var line = $"{acknowledged:N0} charges answered (all time, warm-up included), {Interlocked.Read(ref _conflicts):N0} retried after a version conflict; " +
                   $"balances sum to {total:N0} (expected {expected:N0}); ledger {entries:N0} rows summing to {sum:N0}; " +
                   $"{unbalanced} wallets whose ledger does not sum to the balance, {lastWrong} whose last row's balance_after differs";
        if (total != expected || sum != expected || entries != acknowledged || unbalanced > 0 || lastWrong > 0)
            throw new CheckFailedException(line);
        return line + ": ok";
    }

    public override async ValueTask DisposePointAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        _connections.Clear();
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        _dataSource = null;
        if (_database is not null) await _database.DisposeAsync();
        _database = null;
    }

    /// <summary>One worker's connection and its prepared statements.</summary>
    private sealed class Worker
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _select;
        private readonly NpgsqlCommand _insert;
        private readonly NpgsqlCommand _update;

        private Worker(NpgsqlConnection connection)
        {
            _connection = connection;
            _select = new NpgsqlCommand("SELECT balance, version FROM wallet WHERE id = $1", connection)
            {
                Parameters = { new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
            };
            _insert = new NpgsqlCommand(
                "INSERT INTO ledger (wallet_id, amount, balance_after, reference, created_at) VALUES ($1, $2, $3, $4, now())", connection)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                    new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                    new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                },
            };
            _update = new NpgsqlCommand("UPDATE wallet SET balance = $2, version = version + 1 WHERE id = $1 AND version = $3", connection)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                    new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                },
            };
        }

        public static async Task<Worker> PrepareAsync(NpgsqlConnection connection)
        {
            var worker = new Worker(connection);
            await worker._select.PrepareAsync();
            await worker._insert.PrepareAsync();
            await worker._update.PrepareAsync();
            return worker;
        }

        /// <summary>One attempt: true once committed, false when the version changed since it was read (rolled back).</summary>
        public async Task<bool> ChargeAsync(string walletId, string reference)
        {
            await using var transaction = await _connection.BeginTransactionAsync();
            ((NpgsqlParameter<string>)_select.Parameters[0]).TypedValue = walletId;
            long balance, version;
            await using (var reader = await _select.ExecuteReaderAsync())
            {
                if (!await reader.ReadAsync()) throw new InvalidOperationException($"No wallet {walletId}.");
                balance = reader.GetInt64(0) + Scenarios.HotWallet.Amount;
                version = reader.GetInt64(1);
            }
            ((NpgsqlParameter<string>)_insert.Parameters[0]).TypedValue = walletId;
            ((NpgsqlParameter<long>)_insert.Parameters[1]).TypedValue = Scenarios.HotWallet.Amount;
            ((NpgsqlParameter<long>)_insert.Parameters[2]).TypedValue = balance;
            ((NpgsqlParameter<string>)_insert.Parameters[3]).TypedValue = reference;
            await _insert.ExecuteNonQueryAsync();
            ((NpgsqlParameter<string>)_update.Parameters[0]).TypedValue = walletId;
            ((NpgsqlParameter<long>)_update.Parameters[1]).TypedValue = balance;
            ((NpgsqlParameter<long>)_update.Parameters[2]).TypedValue = version;
            if (await _update.ExecuteNonQueryAsync() != 1)
            {
                await transaction.RollbackAsync();
                return false;
            }
            await transaction.CommitAsync();
            return true;
        }
    }
}
