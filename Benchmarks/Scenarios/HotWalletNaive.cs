using AdWallet.Benchmarks.Harness;
using AdWallet.Grains.Payments;
using AdWallet.Grains.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// The naive design of hot-wallet: one SQLite transaction per charge that reads the balance, updates it and inserts a
/// ledger row, answered after COMMIT, on the same SQLite settings as the provider. <see cref="LedgerOnly"/> runs without
/// a silo; <see cref="CaptureThenLedger"/> first captures the charge through the same gateway client and embedded
/// simulator as a wallet does (the silo runs only for them), so that it does the same work as a platform charge.
/// </summary>
internal sealed class HotWalletNaive(bool capturesFirst = false) : Scenario
{
    public const string LedgerOnly = "hot-wallet-naive";

    public const string CaptureThenLedger = "hot-wallet-naive-gateway";

    private const string WalletId = "wal_hot";

    private const string CapturePrefix = "wal_naive/";

    private const string Schema = """
        CREATE TABLE wallet (id TEXT PRIMARY KEY, balance INTEGER NOT NULL);
        CREATE TABLE ledger (id INTEGER PRIMARY KEY, wallet_id TEXT NOT NULL, amount INTEGER NOT NULL,
                             balance_after INTEGER NOT NULL, reference TEXT NOT NULL, created_at INTEGER NOT NULL);
        INSERT INTO wallet (id, balance) VALUES ('wal_hot', 0);
        """;

    private NaiveSqlite _database = null!;
    private Microsoft.Data.Sqlite.SqliteCommand _select = null!;
    private Microsoft.Data.Sqlite.SqliteCommand _update = null!;
    private Microsoft.Data.Sqlite.SqliteCommand _insert = null!;
    private IPaymentGateway? _gateway;
    private long _acknowledged;

    public override string Name => capturesFirst ? CaptureThenLedger : LedgerOnly;

    public override string Measures => capturesFirst
        ? "hot-wallet-naive behind the gateway: per charge a pay_money capture of 1,000 won under a new order id through the silo's " +
          "IPaymentGateway against the embedded simulator (as gateway-captures), then the same SQLite transaction; the naive design " +
          "doing a platform charge's work. Check: as hot-wallet-naive, and the simulator lists every capture."
        : "the baseline of hot-wallet, no silo: per charge one SQLite transaction (BEGIN IMMEDIATE; SELECT balance; UPDATE wallet; " +
          "INSERT a ledger row; COMMIT), answered after COMMIT; WAL and synchronous=FULL as the provider; one connection shared " +
          "under an async lock, prepared commands.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    public override bool UsesSilo => capturesFirst;

    public override void ConfigureSilo(ISiloBuilder silo, string dataFolder) =>
        silo.AddStartupTask((services, _) =>
        {
            _gateway = services.GetRequiredService<IPaymentGateway>();
            return Task.CompletedTask;
        });

    public override Task InitializeAsync(PointSetup point)
    {
        _acknowledged = 0;
        _database = NaiveSqlite.Create(point.DataFolder, Schema);
        _select = _database.Prepare("SELECT balance FROM wallet WHERE id = @id", "@id");
        _update = _database.Prepare("UPDATE wallet SET balance = @balance WHERE id = @id", "@balance", "@id");
        _insert = _database.Prepare(
            "INSERT INTO ledger (wallet_id, amount, balance_after, reference, created_at) VALUES (@wallet_id, @amount, @balance_after, @reference, @created_at)",
            "@wallet_id", "@amount", "@balance_after", "@reference", "@created_at");
        return Task.CompletedTask;
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var prefix = $"w{worker}-";
        long next = 0;
        return async () =>
        {
            var reference = prefix + ++next;
            if (_gateway is not null) await CaptureAsync(_gateway, reference);
            await _database.TransactionAsync(() => Charge(reference));
            Interlocked.Increment(ref _acknowledged);
        };
    }

    private static async Task CaptureAsync(IPaymentGateway gateway, string reference)
    {
        var result = await gateway.CaptureAsync(new PaymentRequest(CapturePrefix + reference, HotWallet.Amount, PaymentMethods.PayMoney));
        if (!result.Succeeded) throw new InvalidOperationException($"Capture {reference} was declined: {result.DeclineCode}.");
    }

    private long Charge(string reference)
    {
        _select.Parameters["@id"].Value = WalletId;
        var balance = (long)_select.ExecuteScalar()! + HotWallet.Amount;
        _update.Parameters["@balance"].Value = balance;
        _update.Parameters["@id"].Value = WalletId;
        _update.ExecuteNonQuery();
        _insert.Parameters["@wallet_id"].Value = WalletId;
        _insert.Parameters["@amount"].Value = HotWallet.Amount;
        _insert.Parameters["@balance_after"].Value = balance;
        _insert.Parameters["@reference"].Value = reference;
        _insert.Parameters["@created_at"].Value = DateTimeOffset.UtcNow.UtcTicks;
        _insert.ExecuteNonQuery();
        return balance;
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var acknowledged = Interlocked.Read(ref _acknowledged);
        var expected = HotWallet.Amount * acknowledged;
        var balance = _database.Query("SELECT balance FROM wallet WHERE id = 'wal_hot'", r => r.GetInt64(0));
        var (entries, sum, last) = _database.Query(
            "SELECT COUNT(*), COALESCE(SUM(amount), 0), COALESCE((SELECT balance_after FROM ledger ORDER BY id DESC LIMIT 1), 0) FROM ledger WHERE wallet_id = 'wal_hot'",
            r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
        var line = $"{acknowledged:N0} charges answered (all time, warm-up included); balance {balance:N0} (expected {expected:N0}); " +
                   $"ledger {entries:N0} rows summing to {sum:N0}, the last one's balance_after {last:N0}";
        var captured = _gateway is null ? acknowledged : await GatewayCaptures.CountAsync(_gateway, CapturePrefix);
        if (_gateway is not null) line += $"; the gateway lists {captured:N0} captures";
        if (balance != expected || sum != expected || entries != acknowledged || last != expected || captured != acknowledged)
            throw new CheckFailedException(line);
        return line + ": ok";
    }

    public override async ValueTask DisposePointAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        _database = null!;
        _gateway = null;
    }
}
