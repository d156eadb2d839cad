using System.Diagnostics;
using System.Globalization;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;
using Granary.Benchmarks.Harness;

namespace Granary.Benchmarks.Scenarios;

/// <summary>
/// Charges spread uniformly over many wallets, through a cluster client, on a cluster of <c>n</c> silo processes with
/// the platform's cluster configuration (PostgreSQL state, reminders and membership; TCP between client and silos).
/// The point brings its own cluster (<see cref="BenchCluster"/>), so it asks the harness for no in-process silo.
/// </summary>
internal sealed class ClusterCharges(int siloCount) : Scenario
{
    public const int WalletCount = 1_000;
    public const long Amount = 1_000;
    public const string OneSiloName = "cluster-1-silo";

    private const int SetupParallelism = 32;

    private static readonly Caller Master = new("bench-master");
    private static readonly ChargeCommand Command = new(Amount, PaymentMethods.PayMoney, TermsAccepted: true);

    private BenchCluster? _cluster;
    private IWalletGrain[] _wallets = [];
    private long[] _acknowledged = [];
    private TimeSpan[] _siloCpuAtStart = [];
    private long _loadStartedAt;

    public override string Name => siloCount == 1 ? OneSiloName : $"cluster-{siloCount}-silos";

    public override string Measures =>
        $"{siloCount} silo process{(siloCount == 1 ? "" : "es")} of the platform (AdWallet.Silo, Cluster:Mode=postgres: PostgreSQL grain state, " +
        "reminders and membership, TCP transport), a fresh schema per point; this process is only the cluster client (UsePlatformGrains, " +
        $"as the API in cluster mode), so CPU, CPU/op, alloc and GC are the client's alone and the silos' CPU is in the check line. " +
        $"Each worker charges a wallet picked uniformly from {WalletCount:N0} business wallets (1,000 won, pay_money, a new idempotency " +
        "key per call), created and activated before the clock (with the master's user grain: 1,001 activations in all). Check: every wallet's balance = 1,000 x the charges answered for it, " +
        "its ledger (ListTransactions, all pages) sums to the balance entry by entry, and the journal table holds one charge entry per answer.";

    public override IReadOnlyList<int> Concurrency => [64, 256];

    public override bool UsesSilo => false;

    public override Baseline? Baseline => siloCount == 1 ? null : new(OneSiloName, MinRatio: 0);

    public override async Task InitializeAsync(PointSetup point)
    {
        _cluster = await BenchCluster.StartAsync(siloCount);
        var grains = _cluster.Grains;
        _wallets = [.. Enumerable.Range(0, WalletCount).Select(i => grains.GetGrain<IWalletGrain>(WalletKey(i)))];
        _acknowledged = new long[WalletCount];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, WalletCount),
            new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism },
            async (i, _) => await _wallets[i].Create(
                Master, new CreateWallet($"Bench wallet {i}", WalletKinds.Business, BusinessRegistrationNumber: "1234567890")));
        _siloCpuAtStart = [.. _cluster.Silos.Select(s => s.CpuTime)];
        _loadStartedAt = Stopwatch.GetTimestamp();
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        // The point's own cluster client, not the harness's factory (this scenario has no in-process silo).
        var wallets = _wallets;
        var acknowledged = _acknowledged;
        var random = new Random(worker);
        var prefix = $"w{worker}-";
        long next = 0;
        return async () =>
        {
            var index = random.Next(wallets.Length);
            var answer = await wallets[index].Charge(Master, Command, new IdempotencyKey(prefix + ++next, "h"));
            if (answer.Value.Status != ChargeStatus.Succeeded || answer.Replayed)
                throw new InvalidOperationException($"Charge {answer.Value.Id} answered {answer.Value.Status} (replayed: {answer.Replayed}).");
            Interlocked.Increment(ref acknowledged[index]);
        };
    }

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var cluster = _cluster ?? throw new InvalidOperationException("The point's cluster has not started.");
        var silos = SiloUsage(cluster);

        var ledgers = new WalletLedger[WalletCount];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, WalletCount),
            new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism },
            async (i, _) => ledgers[i] = await WalletLedger.ReadAsync(_wallets[i], Master));
        var stored = await BenchPostgres.CountJournalEntriesAsync(cluster.Schema, TransactionKinds.Charge);

        long answered = 0, balances = 0, storedCharges = 0;
        int wrongBalance = 0, wrongLedger = 0, wrongJournal = 0;
        for (var i = 0; i < WalletCount; i++)
        {
            var acknowledged = Interlocked.Read(ref _acknowledged[i]);
            var ledger = ledgers[i];
            var inJournal = stored.GetValueOrDefault(WalletKey(i));
            answered += acknowledged;
            balances += ledger.Balance;
            storedCharges += inJournal;
            if (ledger.Balance != Amount * acknowledged) wrongBalance++;
            if (!ledger.AddsUp || ledger.Entries != acknowledged) wrongLedger++;
            if (inJournal != acknowledged) wrongJournal++;
        }
        var extraJournal = stored.Keys.Count(key => !key.StartsWith("wal_bench_", StringComparison.Ordinal));

        var line = $"{silos}; {answered:N0} charges answered over {WalletCount:N0} wallets (warm-up included), balances summing to " +
                   $"{balances:N0} (expected {Amount * answered:N0}), {storedCharges:N0} charge entries in the journal table";
        if (wrongBalance + wrongLedger + wrongJournal + extraJournal > 0)
        {
            throw new CheckFailedException(
                $"{line}: {wrongBalance} wallets whose balance is not 1,000 x their answered charges, {wrongLedger} whose ledger does not add up " +
                $"or count them, {wrongJournal} whose journal rows do not count them, {extraJournal} journal rows of other grains");
        }
        return line + ": every wallet's balance, ledger and journal rows match its answered charges: ok";
    }

    public override async ValueTask DisposePointAsync()
    {
        var cluster = _cluster;
        _cluster = null;
        if (cluster is not null) await cluster.DisposeAsync();
    }

    private static string WalletKey(int index) => string.Create(CultureInfo.InvariantCulture, $"wal_bench_{index:D4}");

    /// <summary>
    /// How the load split over the silos: each silo's activations (as of its last heartbeat: the wallets were all
    /// activated before the load, and a silo writes a heartbeat every 2 s) and the cores it kept busy since the load
    /// started. Each process is matched to its membership row by its port.
    /// </summary>
    private string SiloUsage(BenchCluster cluster)
    {
        var elapsed = Stopwatch.GetElapsedTime(_loadStartedAt);
        var active = cluster.ActiveSilos();
        var totalCpu = TimeSpan.Zero;
        var silos = new List<string>();
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            var silo = cluster.Silos[i];
            var cpu = silo.CpuTime - _siloCpuAtStart[i];
            totalCpu += cpu;
            var row = active.FirstOrDefault(s => s.Address.EndsWith($":{silo.Port}", StringComparison.Ordinal));
            var activations = row is null ? "not active" : $"{row.ActivationCount:N0} activations";
            silos.Add(string.Create(CultureInfo.InvariantCulture, $"port {silo.Port}: {activations}, {cpu / elapsed:0.00} cores"));
        }
        var charges = _acknowledged.Sum();
        return string.Create(CultureInfo.InvariantCulture,
            $"silos {string.Join(" | ", silos)} ({totalCpu / elapsed / Environment.ProcessorCount:P0} of the machine, " +
            $"{(charges == 0 ? 0 : totalCpu.TotalMicroseconds / charges):N0} µs of silo CPU per charge)");
    }
}
