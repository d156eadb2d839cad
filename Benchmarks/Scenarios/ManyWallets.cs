using AdWallet.Benchmarks.Harness;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// Charges spread over many wallets: each call charges a wallet picked uniformly among <see cref="Wallets"/>, so the
/// commits are many small ones from many grains (the SQLite writer batches them across grains).
/// </summary>
internal class ManyWallets : Scenario
{
    public const int Wallets = 10_000;

    private static readonly Caller Master = new("bench-master");
    private static readonly ChargeCommand Command = new(HotWallet.Amount, PaymentMethods.PayMoney, TermsAccepted: true);

    private IGrainFactory _grains = null!;
    private long[] _acknowledged = new long[Wallets];
    private long _next;

    public override string Name => "many-wallets";

    public override string Measures =>
        $"{Wallets:N0} business wallets created before the clock starts; each call charges one picked uniformly (1,000 won, pay_money, " +
        "a new idempotency key per call) through IWalletGrain.Charge on the platform's Orleans silo (SQLite, synchronous=FULL). " +
        "Afterwards every wallet's balance must be 1,000 x the charges answered for it, and the ledgers of 20 of them must add up.";

    public override IReadOnlyList<int> Concurrency => [256];

    public override IReadOnlyList<Baseline> Baselines => [new("many-wallets-naive", 10)];

    public static string WalletId(int i) => $"wal_many_{i}";

    public override async Task InitializeAsync(PointSetup point)
    {
        _grains = point.Grains;
        _acknowledged = new long[Wallets];
        var create = new CreateWallet("Many", WalletKinds.Business, BusinessRegistrationNumber: "1234567890");
        await Parallel.ForEachAsync(Enumerable.Range(0, Wallets), new ParallelOptions { MaxDegreeOfParallelism = 256 },
            async (i, _) => await _grains.GetGrain<IWalletGrain>(WalletId(i)).Create(Master, create));
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        return async () =>
        {
            var i = Random.Shared.Next(Wallets);
            var key = Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var answer = await grains.GetGrain<IWalletGrain>(WalletId(i)).Charge(Master, Command, new IdempotencyKey("m" + key, "h"));
            if (answer.Value.Status != ChargeStatus.Succeeded || answer.Replayed)
                throw new InvalidOperationException($"Charge {answer.Value.Id} answered {answer.Value.Status} (replayed: {answer.Replayed}).");
            Interlocked.Increment(ref _acknowledged[i]);
        };
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var wrong = 0;
        long total = 0, answered = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Wallets), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var balance = (await _grains.GetGrain<IWalletGrain>(WalletId(i)).Get(Master)).Balance.Total;
            Interlocked.Add(ref total, balance);
            Interlocked.Add(ref answered, Interlocked.Read(ref _acknowledged[i]));
            if (balance != HotWallet.Amount * Interlocked.Read(ref _acknowledged[i])) Interlocked.Increment(ref wrong);
        });
        var brokenLedgers = 0;
        for (var i = 0; i < Wallets; i += Wallets / 20)
        {
            var ledger = await WalletLedger.ReadAsync(_grains.GetGrain<IWalletGrain>(WalletId(i)), Master);
            if (!ledger.AddsUp || ledger.Entries != _acknowledged[i]) brokenLedgers++;
        }
        var line = $"{answered:N0} charges answered over {Wallets:N0} wallets (all time, warm-up included); balances sum to {total:N0} " +
                   $"(expected {HotWallet.Amount * answered:N0}); {wrong} wallets whose balance differs from its answered charges; " +
                   $"{brokenLedgers} of 20 sampled ledgers that do not add up";
        if (wrong > 0 || brokenLedgers > 0 || total != HotWallet.Amount * answered) throw new CheckFailedException(line);
        return line + ": ok";
    }
}
