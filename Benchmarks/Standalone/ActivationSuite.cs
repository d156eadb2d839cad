using System.Diagnostics;
using System.Globalization;
using System.Text;
using AdWallet.Benchmarks.Harness;
using AdWallet.Grains;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Wallets;
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
        text.AppendLine("| Past charges per wallet | Wallets | Fill (charges/s, --concurrency callers) | SettleSpend of the whole balance, per wallet | First call after restart: median | max | " +
                        "Second call | First call after ForceActivationCollection: median | Retained managed heap per active wallet | RssAnon delta per wallet |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
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
                text.AppendLine($"| {charges:N0} | {wallets} | FAILED: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")} | | | | | | | |");
            }
        }
        text.AppendLine();
        text.AppendLine("Method:");
        text.AppendLine();
        text.AppendLine("- Orleans' response timeout is raised to 2 minutes in this suite's silos (`Messaging:ResponseTimeout`; the platform " +
                        "uses 10 s), because settling one spend over a million open charges outlasted 10 s in the first run.");
        text.AppendLine("- Fill: each wallet (business, `wal_act_<n>`) is created, then charged N times with 1,000 won `pay_money` " +
                        "(`IWalletGrain.Charge`, a new idempotency key per call) by `--concurrency` (default 1,024) concurrent callers spread over the wallets; the " +
                        "rate is all charges / wall time. Then each wallet gets an ad account (`IAdAccountGrain.Create`, which attaches it " +
                        "with `AttachAdAccount`) and one `SettleSpend` of its whole balance, so that every charge is fully used (closed). " +
                        "The check below reads each balance back as 0.");
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

    private static async Task<string> MeasureAsync(int charges, int wallets, int concurrency, List<string> checks)
    {
        var dataFolder = BenchSilo.NewDataFolder();
        try
        {
            TimeSpan fill;
            TimeSpan settle;
            await using (var silo = await BenchSilo.StartAsync(dataFolder, LongTimeout))
            {
                var grains = silo.Grains;
                var create = new CreateWallet("Activation", WalletKinds.Business, BusinessRegistrationNumber: "1234567890");
                for (var w = 0; w < wallets; w++) await grains.GetGrain<IWalletGrain>(WalletId(w)).Create(MasterOf(w), create);
                await grains.GetGrain<IWalletGrain>("wal_act_warmup").Create(Master, create);

                Progress($"activation: charging {wallets:N0} wallet(s) {charges:N0} times each...");
                var command = new ChargeCommand(1_000, PaymentMethods.PayMoney, TermsAccepted: true);
                var clock = Stopwatch.StartNew();
                var total = (long)charges * wallets;
                long done = 0;
                long retries = 0;
                await Parallel.ForEachAsync(LongRange(total), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
                {
                    var w = (int)(i % wallets);
                    var wallet = grains.GetGrain<IWalletGrain>(WalletId(w));
                    var key = new IdempotencyKey("a" + i.ToString(CultureInfo.InvariantCulture), "h");
                    Idempotent<ChargeView> answer;
                    // A call that outlives the 10 s response timeout may still be charged: ask again with the same key,
                    // which answers the first outcome (idempotent), so the fill neither loses nor doubles a charge.
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            answer = await wallet.Charge(MasterOf(w), command, key);
                            break;
                        }
                        catch (TimeoutException) when (attempt < 5)
                        {
                            Interlocked.Increment(ref retries);
                        }
                    }
                    if (answer.Value.Status != ChargeStatus.Succeeded) throw new InvalidOperationException($"Charge answered {answer.Value.Status}.");
                    var n = Interlocked.Increment(ref done);
                    if (n % 100_000 == 0) Progress($"activation: {n:N0} of {total:N0} charges, {n / clock.Elapsed.TotalSeconds:N0}/s");
                });
                fill = clock.Elapsed;

                Progress("activation: spending the paid cash...");
                var settleClock = Stopwatch.StartNew();
                for (var w = 0; w < wallets; w++)
                {
                    var accountId = $"acc_act_{w}";
                    await grains.GetGrain<IAdAccountGrain>(accountId).Create(MasterOf(w), new CreateAdAccount("Activation", WalletId(w)));
                    await grains.GetGrain<IWalletGrain>(WalletId(w)).SettleSpend(new SpendSettlement("cmp_act", accountId, 1, 1_000L * charges));
                }
                settle = settleClock.Elapsed;
                var nonZero = 0;
                for (var w = 0; w < wallets; w++)
                    if ((await grains.GetGrain<IWalletGrain>(WalletId(w)).Get(MasterOf(w))).Balance.Total != 0) nonZero++;
                checks.Add($"N = {charges:N0}: {total:N0} charges answered succeeded over {wallets} wallet(s) " +
                           $"({retries:N0} retried with their key after the 10 s response timeout); after settling, " +
                           $"{nonZero} wallet(s) with a balance other than 0{(nonZero == 0 ? ": ok" : ": WRONG")}");
            }

            Progress("activation: restarting the silo on the same data...");
            await using (var silo = await BenchSilo.StartAsync(dataFolder, LongTimeout))
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
                var row = $"| {charges:N0} | {wallets} | {charges * (double)wallets / fill.TotalSeconds:N0} ({fill.TotalSeconds:0.#} s) | {Ms(settle / wallets)} | " +
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

    private static string WalletId(int w) => $"wal_act_{w}";

    /// <summary>
    /// Orleans' response timeout raised from the platform's 10 s to 2 minutes for this suite only: settling one spend
    /// over a million open charges took longer than 10 s, and the point is to measure it, not to fail on it.
    /// </summary>
    private static void LongTimeout(ISiloBuilder silo) => silo.Configuration["Messaging:ResponseTimeout"] = "00:02:00";

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
