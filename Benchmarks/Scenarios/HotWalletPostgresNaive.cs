using Granary.Benchmarks.Harness;
using Npgsql;

namespace Granary.Benchmarks.Scenarios;

/// <summary>
/// The naive design of hot-wallet on PostgreSQL, without the silo: per charge one transaction that locks the balance
/// row (SELECT ... FOR UPDATE), updates it and inserts a ledger row, answered after COMMIT.
/// </summary>
internal sealed class HotWalletPostgresNaive : Scenario
{
    /// <summary>At the grain's concurrency the workers share this many connections: one row lock serializes them anyway.</summary>
    public const int MaxConnections = 32;

    private const string WalletId = "wal_hot";

    private const string Schema = """
        CREATE TABLE wallet (id TEXT PRIMARY KEY, balance BIGINT NOT NULL);
        CREATE TABLE ledger (id BIGSERIAL PRIMARY KEY, wallet_id TEXT NOT NULL REFERENCES wallet (id), amount BIGINT NOT NULL,
                             balance_after BIGINT NOT NULL, reference TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL);
        INSERT INTO wallet (id, balance) VALUES ('wal_hot', 0);
        """;

    private NpgsqlDataSource _dataSource = null!;
    private string _schema = "";
    private long _acknowledged;

    public override string Name => "hot-wallet-pg-naive";

    public override string Measures =>
        "the baseline of hot-wallet-pg, no silo: per charge one PostgreSQL transaction (BEGIN; SELECT balance ... FOR UPDATE; " +
        "UPDATE wallet; INSERT a ledger row; COMMIT), answered after COMMIT, on the same server and settings (synchronous_commit " +
        $"on); one connection per worker up to {MaxConnections}, prepared statements.";

    public override IReadOnlyList<int> Concurrency => [8, 256];

    public override bool UsesSilo => false;

    public override async Task InitializeAsync(PointSetup point)
    {
        _acknowledged = 0;
        _schema = BenchPostgres.NewSchema("bench_naive");
        await using (var setup = BenchPostgres.DataSource("public", 1))
        await using (var create = setup.CreateCommand($"CREATE SCHEMA \"{_schema}\""))
            await create.ExecuteNonQueryAsync();
        _dataSource = BenchPostgres.DataSource(_schema, Math.Min(point.Workers, MaxConnections));
        await using var schema = _dataSource.CreateCommand(Schema);
        await schema.ExecuteNonQueryAsync();
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var prefix = $"w{worker}-";
        long next = 0;
        return async () =>
        {
            await ChargeAsync(prefix + ++next);
            Interlocked.Increment(ref _acknowledged);
        };
    }

    private async Task ChargeAsync(string reference)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var select = new NpgsqlCommand("SELECT balance FROM wallet WHERE id = $1 FOR UPDATE", connection, transaction);
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalletId });
        var balance = (long)(await select.ExecuteScalarAsync())! + HotWallet.Amount;

        await using var update = new NpgsqlCommand("UPDATE wallet SET balance = $1 WHERE id = $2", connection, transaction);
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = balance });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalletId });
        await update.ExecuteNonQueryAsync();

        await using var insert = new NpgsqlCommand(
            "INSERT INTO ledger (wallet_id, amount, balance_after, reference, created_at) VALUES ($1, $2, $3, $4, $5)", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalletId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = HotWallet.Amount });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = balance });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
        insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = DateTime.UtcNow });
        await insert.ExecuteNonQueryAsync();

        await transaction.CommitAsync();
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var acknowledged = Interlocked.Read(ref _acknowledged);
        var expected = HotWallet.Amount * acknowledged;
        await using var balanceQuery = _dataSource.CreateCommand($"SELECT balance FROM wallet WHERE id = '{WalletId}'");
        var balance = (long)(await balanceQuery.ExecuteScalarAsync())!;
        await using var ledgerQuery = _dataSource.CreateCommand(
            $"SELECT COUNT(*), COALESCE(SUM(amount), 0)::BIGINT, COALESCE((SELECT balance_after FROM ledger ORDER BY id DESC LIMIT 1), 0) FROM ledger WHERE wallet_id = '{WalletId}'");
        await using var reader = await ledgerQuery.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (entries, sum, last) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        var line = $"{acknowledged:N0} charges answered (all time, warm-up included); balance {balance:N0} (expected {expected:N0}); " +
                   $"ledger {entries:N0} rows summing to {sum:N0}, the last one's balance_after {last:N0}";
        if (balance != expected || sum != expected || entries != acknowledged || last != expected)
            throw new CheckFailedException(line);
        return line + ": ok";
    }

    public override async ValueTask DisposePointAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        _dataSource = null!;
        if (_schema.Length > 0) await BenchPostgres.DropSchemaAsync(_schema);
        _schema = "";
    }
}
