using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>The naive design of many-wallets: hot-wallet-naive's transaction, on a wallet picked uniformly among 10,000.</summary>
internal sealed class ManyWalletsNaive : Scenario
{
    private const string Schema = """
        CREATE TABLE wallet (id TEXT PRIMARY KEY, balance INTEGER NOT NULL);
        CREATE TABLE ledger (id INTEGER PRIMARY KEY, wallet_id TEXT NOT NULL, amount INTEGER NOT NULL,
                             balance_after INTEGER NOT NULL, reference TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX ledger_wallet ON ledger (wallet_id, id);
        """;

    private NaiveSqlite _database = null!;
    private Microsoft.Data.Sqlite.SqliteCommand _select = null!;
    private Microsoft.Data.Sqlite.SqliteCommand _update = null!;
    private Microsoft.Data.Sqlite.SqliteCommand _insert = null!;
    private long _acknowledged;
    private long _next;

    public override string Name => "many-wallets-naive";

    public override string Measures =>
        "the baseline of many-wallets, no silo: 10,000 wallet rows; per charge one SQLite transaction on a wallet picked uniformly " +
        "(BEGIN IMMEDIATE; SELECT balance; UPDATE wallet; INSERT a ledger row; COMMIT), answered after COMMIT; WAL and synchronous=FULL; " +
        "one connection shared under an async lock, prepared commands.";

    public override IReadOnlyList<int> Concurrency => [1, 256];

    public override bool UsesSilo => false;

    public override Task InitializeAsync(PointSetup point)
    {
        _acknowledged = 0;
        var rows = string.Join(",\n", Enumerable.Range(0, ManyWallets.Wallets).Select(i => $"('{ManyWallets.WalletId(i)}', 0)"));
        _database = NaiveSqlite.Create(point.DataFolder, Schema + $"INSERT INTO wallet (id, balance) VALUES {rows};");
        _select = _database.Prepare("SELECT balance FROM wallet WHERE id = @id", "@id");
        _update = _database.Prepare("UPDATE wallet SET balance = @balance WHERE id = @id", "@balance", "@id");
        _insert = _database.Prepare(
            "INSERT INTO ledger (wallet_id, amount, balance_after, reference, created_at) VALUES (@wallet_id, @amount, @balance_after, @reference, @created_at)",
            "@wallet_id", "@amount", "@balance_after", "@reference", "@created_at");
        return Task.CompletedTask;
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker) => async () =>
    {
        var walletId = ManyWallets.WalletId(Random.Shared.Next(ManyWallets.Wallets));
        var reference = "m" + Interlocked.Increment(ref _next);
        await _database.TransactionAsync(() => Charge(walletId, reference));
        Interlocked.Increment(ref _acknowledged);
    };

    private long Charge(string walletId, string reference)
    {
        _select.Parameters["@id"].Value = walletId;
        var balance = (long)_select.ExecuteScalar()! + HotWallet.Amount;
        _update.Parameters["@balance"].Value = balance;
        _update.Parameters["@id"].Value = walletId;
        _update.ExecuteNonQuery();
        _insert.Parameters["@wallet_id"].Value = walletId;
        _insert.Parameters["@amount"].Value = HotWallet.Amount;
        _insert.Parameters["@balance_after"].Value = balance;
        _insert.Parameters["@reference"].Value = reference;
        _insert.Parameters["@created_at"].Value = DateTimeOffset.UtcNow.UtcTicks;
        _insert.ExecuteNonQuery();
        return balance;
    }

    public override Task<string?> VerifyAsync(LoadResult result)
    {
        var acknowledged = Interlocked.Read(ref _acknowledged);
        var total = _database.Query("SELECT SUM(balance) FROM wallet", r => r.GetInt64(0));
        var (entries, sum) = _database.Query("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM ledger", r => (r.GetInt64(0), r.GetInt64(1)));
        var line = $"{acknowledged:N0} charges answered (all time, warm-up included); balances sum to {total:N0} " +
                   $"(expected {HotWallet.Amount * acknowledged:N0}); ledger {entries:N0} rows summing to {sum:N0}";
        if (total != HotWallet.Amount * acknowledged || sum != total || entries != acknowledged) throw new CheckFailedException(line);
        return Task.FromResult<string?>(line + ": ok");
    }

    public override async ValueTask DisposePointAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        _database = null!;
    }
}
