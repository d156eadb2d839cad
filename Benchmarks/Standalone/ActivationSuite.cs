using System.Diagnostics;
using System.Globalization;
using System.Text;
using AdWallet.Benchmarks.Harness;
using AdWallet.Grains;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace AdWallet.Benchmarks.Standalone;

/// <summary>
/// How long a wallet with a long history takes to activate, and what it keeps in memory once active. For each history
/// length N: wallets are created and charged N times each (256 concurrent charges), their paid cash is spent through an
/// ad account and one settlement (so every charge closes), the silo is stopped and started again on the same data
/// folder (cold activations from SQLite), and the first call to each wallet is timed, with the managed heap before
/// and after activating them all.
/// </summary>
internal sealed class ActivationSuite : StandaloneSuite
{
    private static readonly Caller Master = new("bench-master");

    public override string Name => "activation";

    protected override async Task<string> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var histories = Ints(options, "charges", 1_000, 1_000_000);
        var concurrency = Ints(options, "concurrency", 1_024)[0];
        var text = new StringBuilder();
        text.AppendLine("| Past charges per wallet | Wallets | Fill (charges/s, --concurrency callers) | First call after restart: median | max | " +
                        "Second call | First call after ForceActivationCollection: median | Retained managed heap per active wallet | RssAnon delta per wallet |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var checks = new List<string>();
        foreach (var charges in histories)
        {
            // Enough wallets that the heap delta is above the noise of a collection (about 100 KB) for short histories.
            var wallets = charges >= 100_000 ? 1 : 100;
            try
            {
                text.AppendLine(await MeasureAsync(charges, wallets, concurrency, checks));
            }
            catch (Exception exception)
            {
                Progress($"activation: N = {charges:N0} failed: {exception}");
                text.AppendLine($"| {charges:N0} | {wallets} | FAILED: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")} | | | | | | |");
            }
        }
        text.AppendLine();
        text.AppendLine("Method:");
        text.AppendLine();
        text.AppendLine("- Fill: each wallet (business, `wal_act_<n>`) is created with an ad account (`IAdAccountGrain.Create`, " +
                        "which attaches it), then charged N times with 1,000 won `pay_money` (`IWalletGrain.Charge`, a new " +
                        "idempotency key per call) by `--concurrency` (default 1,024) concurrent callers spread over the wallets; " +
                        $"after every {ChargesPerRound:N0} charges per wallet one `SettleSpend` uses them up (closes them), as campaigns " +
                        "do, so a wallet never holds more open charges than that. The rate is all charges and settlements / wall time.");
        text.AppendLine($"- Then the wallets' clock (their `TimeProvider`) moves {WalletState.IdempotencyRetention.TotalHours + 2:0} hours on, past " +
                        "the idempotency window, and each wallet is charged and spent once more: the window forgets the fill's " +
                        "charges, which are now history in storage. The check below reads each balance back as 0.");
        text.AppendLine("- Cold activation: the silo is stopped and a new one started on the same data folder (same SQLite file) in " +
                        "the same process, so the JIT is warm but nothing of the wallets is in memory; a small warm-up wallet is " +
                        "activated first so the first timed call does not pay for the silo's own first activation. Then each " +
                        "wallet's first call (`Get`) is timed one after the other (the activation, which loads the wallet's state " +
                        "from SQLite, plus the call), and a second `Get` on the now active wallet.");
        text.AppendLine("- `ForceActivationCollection`: `IManagementGrain.ForceActivationCollection(TimeSpan.Zero)` deactivates the " +
                        "idle wallets in the running silo; the first call is timed again (SQLite's page cache is warm by then).");
        text.AppendLine("- Memory: `GC.GetTotalMemory(true)` after two forced, compacting, blocking full collections, just before " +
                        "and just after activating all the wallets; the difference divided by the wallets is what an active wallet " +
                        "retains (its grain, state, storage bookkeeping, the silo's directory and catalog entries). RssAnon is " +
                        "from /proc/self/status at the same moments; it includes SQLite's page cache and GC segments not returned, " +
                        "so it is an upper bound, and with one wallet it is mostly noise.");
        text.AppendLine();
        text.AppendLine("Checks:");
        text.AppendLine();
        foreach (var check in checks) text.AppendLine($"- {check}");
        return text.ToString();
    }

    /// <summary>Charges per wallet between two settlements: what a wallet holds open at most while it is filled.</summary>
    private const int ChargesPerRound = 10_000;

    private static async Task<string> MeasureAsync(int charges, int wallets, int concurrency, List<string> checks)
    {
        var dataFolder = BenchSilo.NewDataFolder();
        // The wallets' clock: the history is made now, then the clock moves past the idempotency window, so that the
        // measured activations are of wallets whose past charges are history, not charges a replay could still name.
        var walletClock = new ShiftedTimeProvider();
        try
        {
            TimeSpan fill;
            await using (var silo = await BenchSilo.StartAsync(dataFolder, builder => Configure(builder, walletClock)))
            {
                var grains = silo.Grains;
                var create = new CreateWallet("Activation", WalletKinds.Business, BusinessRegistrationNumber: "1234567890");
                for (var w = 0; w < wallets; w++)
                {
                    await grains.GetGrain<IWalletGrain>(WalletId(w)).Create(MasterOf(w), create);
                    await grains.GetGrain<IAdAccountGrain>(AccountId(w)).Create(MasterOf(w), new CreateAdAccount("Activation", WalletId(w)));
                }
                await grains.GetGrain<IWalletGrain>("wal_act_warmup").Create(Master, create);

                Progress($"activation: charging {wallets:N0} wallet(s) {charges:N0} times each, spending after every {ChargesPerRound:N0}...");
                var stopwatch = Stopwatch.StartNew();
                long retries = 0;
                long sequence = 0;
                for (var first = 0L; first < charges; first += ChargesPerRound)
                {
                    var round = Math.Min(ChargesPerRound, charges - first);
                    retries += await ChargeAsync(grains, wallets, first, round, concurrency);
                    sequence++;
                    for (var w = 0; w < wallets; w++)
                        await grains.GetGrain<IWalletGrain>(WalletId(w)).SettleSpend(new SpendSettlement("cmp_act", AccountId(w), sequence, 1_000L * round));
                    if ((first + round) % 100_000 == 0) Progress($"activation: {(first + round) * wallets:N0} charges, {(first + round) * wallets / stopwatch.Elapsed.TotalSeconds:N0}/s");
                }
                fill = stopwatch.Elapsed;

                // Past the window: one more charge and its spend make each wallet forget the charges of the fill.
                walletClock.Offset = WalletState.IdempotencyRetention + TimeSpan.FromHours(2);
                sequence++;
                await ChargeAsync(grains, wallets, charges, 1, concurrency);
                for (var w = 0; w < wallets; w++)
                    await grains.GetGrain<IWalletGrain>(WalletId(w)).SettleSpend(new SpendSettlement("cmp_act", AccountId(w), sequence, 1_000L));

                var nonZero = 0;
                for (var w = 0; w < wallets; w++)
                    if ((await grains.GetGrain<IWalletGrain>(WalletId(w)).Get(MasterOf(w))).Balance.Total != 0) nonZero++;
                checks.Add($"N = {charges:N0}: {(charges + 1L) * wallets:N0} charges answered succeeded over {wallets} wallet(s) " +
                           $"({retries:N0} retried with their key after the response timeout); after settling, " +
                           $"{nonZero} wallet(s) with a balance other than 0{(nonZero == 0 ? ": ok" : ": WRONG")}");
            }

            Progress("activation: restarting the silo on the same data...");
            await using (var silo = await BenchSilo.StartAsync(dataFolder, builder => Configure(builder, walletClock)))
            {
                var grains = silo.Grains;
                await grains.GetGrain<IWalletGrain>("wal_act_warmup").Get(Master);
                var heapBefore = SettledHeap();
                var anonBefore = ProcStatus("RssAnon");
                var first = new List<TimeSpan>();
                var second = new List<TimeSpan>();
                for (var w = 0; w < wallets; w++)
                {
                    var wallet = grains.GetGrain<IWalletGrain>(WalletId(w));
                    var clock = Stopwatch.StartNew();
                    await wallet.Get(MasterOf(w));
                    first.Add(clock.Elapsed);
                    clock.Restart();
                    await wallet.Get(MasterOf(w));
                    second.Add(clock.Elapsed);
                }
                var heapAfter = SettledHeap();
                var anonAfter = ProcStatus("RssAnon");

                var management = grains.GetGrain<IManagementGrain>(0);
                await management.ForceActivationCollection(TimeSpan.Zero);
                await Task.Delay(TimeSpan.FromSeconds(2));
                var afterCollection = new List<TimeSpan>();
                for (var w = 0; w < wallets; w++)
                {
                    var clock = Stopwatch.StartNew();
                    await grains.GetGrain<IWalletGrain>(WalletId(w)).Get(MasterOf(w));
                    afterCollection.Add(clock.Elapsed);
                }

                var perWallet = (double)(heapAfter - heapBefore) / wallets;
                var anonPerWallet = anonBefore is { } b && anonAfter is { } a ? Bytes((double)(a - b) / wallets) : "n/a";
                var row = $"| {charges:N0} | {wallets} | {charges * (double)wallets / fill.TotalSeconds:N0} ({fill.TotalSeconds:0.#} s) | " +
                          $"{Ms(Median(first))} | {Ms(first.Max())} | {Ms(Median(second))} | {Ms(Median(afterCollection))} | " +
                          $"{Bytes(perWallet)} | {anonPerWallet} |";
                Progress("activation: " + row);
                return row;
            }
        }
        finally
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    /// <summary>Charges <paramref name="count"/> times each wallet, keys numbered from <paramref name="first"/>; returns how many calls were retried.</summary>
    private static async Task<long> ChargeAsync(IGrainFactory grains, int wallets, long first, long count, int concurrency)
    {
        var command = new ChargeCommand(1_000, PaymentMethods.PayMoney, TermsAccepted: true);
        long retries = 0;
        await Parallel.ForEachAsync(LongRange(count * wallets), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var w = (int)(i % wallets);
            var key = new IdempotencyKey("a" + (first + i / wallets).ToString(CultureInfo.InvariantCulture), "h");
            // A call that outlives the response timeout may still be charged: ask again with the same key, which
            // answers the first outcome (idempotent), so the fill neither loses nor doubles a charge.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var answer = await grains.GetGrain<IWalletGrain>(WalletId(w)).Charge(MasterOf(w), command, key);
                    if (answer.Value.Status != ChargeStatus.Succeeded) throw new InvalidOperationException($"Charge answered {answer.Value.Status}.");
                    return;
                }
                catch (TimeoutException) when (attempt < 5)
                {
                    Interlocked.Increment(ref retries);
                }
            }
        });
        return retries;
    }

    private static string WalletId(int w) => $"wal_act_{w}";

    private static string AccountId(int w) => $"acc_act_{w}";

    /// <summary>The wallets' clock, which the suite moves past the idempotency window.</summary>
    private static void Configure(ISiloBuilder silo, TimeProvider clock) => silo.Services.AddSingleton(clock);

    /// <summary>The system clock, moved forward by <see cref="Offset"/>; timers still run on real time.</summary>
    private sealed class ShiftedTimeProvider : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    /// <summary>A master per wallet: the creation guard allows a master only 20 ad accounts an hour.</summary>
    private static Caller MasterOf(int w) => new($"bench-master-{w}");

    private static IEnumerable<long> LongRange(long count)
    {
        for (long i = 0; i < count; i++) yield return i;
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
