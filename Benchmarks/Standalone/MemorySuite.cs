using System.Globalization;
using System.Text;
using AdWallet.Benchmarks.Harness;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;

namespace AdWallet.Benchmarks.Standalone;

/// <summary>
/// What an active wallet costs the silo's process: 10,000 wallets are created and charged a few times each, and the
/// process's memory (managed heap after a forced full collection, and anonymous RSS) is compared before and after.
/// </summary>
internal sealed class MemorySuite : StandaloneSuite
{
    private const double TargetBytesPerWallet = 10 * 1024;
    private static readonly Caller Master = new("bench-master");

    public override string Name => "memory";

    protected override async Task<string> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var wallets = Ints(options, "wallets", 10_000)[0];
        var charges = Ints(options, "charges", 3)[0];
        var dataFolder = BenchSilo.NewDataFolder();
        try
        {
            await using var silo = await BenchSilo.StartAsync(dataFolder);
            var grains = silo.Grains;
            var create = new CreateWallet("Memory", WalletKinds.Business, BusinessRegistrationNumber: "1234567890");
            var command = new ChargeCommand(1_000, PaymentMethods.PayMoney, TermsAccepted: true);

            // Warm-up: the same work on 200 other wallets, so JIT, pools and the SQLite writer are not counted.
            await FillAsync(grains, "wal_memwarm_", 200, charges, create, command);
            await Task.Delay(1_000);
            var heapBefore = SettledHeap();
            var anonBefore = ProcStatus("RssAnon");
            var rssBefore = ProcStatus("VmRSS");

            Progress($"memory: creating {wallets:N0} wallets with {charges} charges each...");
            await FillAsync(grains, "wal_mem_", wallets, charges, create, command);
            await Task.Delay(1_000);
            var heapAfter = SettledHeap();
            var anonAfter = ProcStatus("RssAnon");
            var rssAfter = ProcStatus("VmRSS");

            var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
            var activeWallets = statistics.Where(s => s.GrainType.Contains("Wallet", StringComparison.OrdinalIgnoreCase)).Sum(s => s.ActivationCount);
            var wrong = 0;
            for (var w = 0; w < wallets; w += 97)
                if ((await grains.GetGrain<IWalletGrain>($"wal_mem_{w}").Get(Master)).Balance.Total != 1_000L * charges) wrong++;

            var heapPerWallet = (double)(heapAfter - heapBefore) / wallets;
            var text = new StringBuilder();
            text.AppendLine("| Wallets | Charges each | Managed heap before | after | per wallet | RssAnon before | after | per wallet | VmRSS per wallet | Target (managed heap per wallet) |");
            text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
            text.AppendLine($"| {wallets:N0} | {charges} | {Bytes(heapBefore)} | {Bytes(heapAfter)} | {Bytes(heapPerWallet)} | " +
                            $"{Bytes(anonBefore ?? 0)} | {Bytes(anonAfter ?? 0)} | {Bytes((double)((anonAfter ?? 0) - (anonBefore ?? 0)) / wallets)} | " +
                            $"{Bytes((double)((rssAfter ?? 0) - (rssBefore ?? 0)) / wallets)} | " +
                            $"<= 10 KB: {(heapPerWallet <= TargetBytesPerWallet ? "met" : "MISSED")} |");
            text.AppendLine();
            text.AppendLine($"Check: {activeWallets:N0} wallet activations in the silo after the fill (GetSimpleGrainStatistics, warm-up wallets " +
                            $"included: expected {wallets + 200:N0}); {wrong} of {(wallets + 96) / 97} sampled wallets with a wrong balance" +
                            (wrong == 0 && activeWallets >= wallets ? ": ok" : ": WRONG"));
            text.AppendLine();
            text.AppendLine("Method: one silo (UsePlatformSilo, SQLite synchronous=FULL, temporary data folder) in this process. 200 warm-up " +
                            "wallets get the same treatment first. Then `GC.GetTotalMemory(true)` after two forced, compacting, blocking " +
                            "full collections, and RssAnon/VmRSS from /proc/self/status; then the wallets are created and each charged " +
                            $"{charges} times (1,000 won pay_money, 256 concurrent callers), and the same figures are read again, with every " +
                            "wallet still active (collection age is Orleans' default, far longer than the run). The managed heap delta per " +
                            "wallet is the grain, its state (balance, open charges, idempotency answers, ledger bookkeeping), the storage " +
                            "provider's per-grain data and the silo's catalog/directory entries. RssAnon also counts SQLite's page cache " +
                            "(native) and GC segments the runtime keeps committed, so it is an upper bound. The charges are still open " +
                            "(not spent), which is a wallet's usual state.");
            return text.ToString();
        }
        finally
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    private static async Task FillAsync(IGrainFactory grains, string prefix, int wallets, int charges, CreateWallet create, ChargeCommand command)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, wallets), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (w, _) =>
        {
            var wallet = grains.GetGrain<IWalletGrain>(prefix + w.ToString(CultureInfo.InvariantCulture));
            await wallet.Create(Master, create);
            for (var c = 0; c < charges; c++)
            {
                var answer = await wallet.Charge(Master, command, new IdempotencyKey($"c{c}", "h"));
                if (answer.Value.Status != ChargeStatus.Succeeded) throw new InvalidOperationException($"Charge answered {answer.Value.Status}.");
            }
        });
    }
}
