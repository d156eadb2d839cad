using AdWallet.Grains;
using AdWallet.Grains.Wallets;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// Many concurrent charges on ONE wallet through the wallet grain, durable on SQLite. The grain is reentrant and
/// event-sourced, so concurrent charges share commits; each charge asks the (simulated) gateway, then stores one
/// ChargeCaptured event, and is answered once it is stored.
/// </summary>
internal class HotWallet : Scenario
{
    public const long Amount = 1_000;

    private static readonly Caller Master = new("bench-master");
    private static readonly ChargeCommand Command = new(Amount, PaymentMethods.PayMoney, TermsAccepted: true);

    private IWalletGrain _wallet = null!;
    private long _acknowledged;

    public override string Name => "hot-wallet";

    public override string Measures =>
        "every worker charges ONE business wallet (1,000 won, pay_money, a new idempotency key per call) through IWalletGrain.Charge " +
        "on the platform's Orleans silo (UsePlatformSilo: SQLite storage and reminders, synchronous=FULL) and checks the answer succeeded; " +
        "afterwards the balance must be 1,000 x the charges answered and the ledger must add up to it. A charge asks the gateway, " +
        "then stores one event (ChargeCaptured) and is answered once it is committed; concurrent charges share commits.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    /// <summary>
    /// The target is against the naive ledger alone. The same ledger behind the same gateway capture is the naive design of
    /// the same work: the ratio to it shows what the platform adds or saves around the capture each charge makes.
    /// </summary>
    public override IReadOnlyList<Baseline> Baselines => [new(HotWalletNaive.LedgerOnly, 10), new(HotWalletNaive.CaptureThenLedger, 0)];

    public override async Task InitializeAsync(PointSetup point)
    {
        _acknowledged = 0;
        _wallet = point.Grains.GetGrain<IWalletGrain>("wal_hot");
        await _wallet.Create(Master, new CreateWallet("Hot wallet", WalletKinds.Business, BusinessRegistrationNumber: "1234567890"));
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var wallet = _wallet;
        var prefix = $"w{worker}-";
        long next = 0;
        return async () =>
        {
            var answer = await wallet.Charge(Master, Command, new IdempotencyKey(prefix + ++next, "h"));
            if (answer.Value.Status != ChargeStatus.Succeeded || answer.Replayed)
                throw new InvalidOperationException($"Charge {answer.Value.Id} answered {answer.Value.Status} (replayed: {answer.Replayed}).");
            Interlocked.Increment(ref _acknowledged);
        };
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var acknowledged = Interlocked.Read(ref _acknowledged);
        var expected = Amount * acknowledged;
        var balance = (await _wallet.Get(Master)).Balance;

        // The whole ledger, newest first: it must sum to the balance, and each entry's balance must follow from the one before.
        long entries = 0, sum = 0;
        long? newerBalanceBefore = null;
        string? cursor = null;
        var brokenChain = 0;
        do
        {
            var page = await _wallet.ListTransactions(Master, kind: null, new PageRequest(PageRequest.MaxLimit, cursor));
            foreach (var entry in page.Items)
            {
                if (entries == 0 && entry.BalanceAfter.Total != balance.Total) brokenChain++;
                if (newerBalanceBefore is { } before && entry.BalanceAfter.Total != before) brokenChain++;
                newerBalanceBefore = entry.BalanceAfter.Total - entry.Amount;
                entries++;
                sum += entry.Amount;
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var line = $"{acknowledged:N0} charges answered (all time, warm-up included); balance {balance.Total:N0} " +
                   $"(expected {expected:N0}); ledger {entries:N0} entries summing to {sum:N0}" +
                   (brokenChain > 0 ? $", {brokenChain} entries whose balance does not follow from the previous one" : ", each balance following from the previous");
        if (balance.Total != expected || sum != expected || entries != acknowledged || brokenChain > 0 || newerBalanceBefore is not (0 or null))
            throw new CheckFailedException(line);
        return line + ": ok";
    }

}
