using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>hot-wallet on the cluster mode's storage: a co-hosted silo with Cluster:Mode=postgres on a scratch database.</summary>
internal sealed class HotWalletPg : HotWallet
{
    public override string Name => "hot-wallet-pg";

    public override string Measures =>
        "hot-wallet (ONE business wallet, 1,000 won, pay_money, a new idempotency key per call, IWalletGrain.Charge) on a silo in this " +
        "process in cluster mode (UsePlatformSilo with Cluster:Mode=postgres: PostgreSQL grain state, reminders and membership, a scratch " +
        $"database per point, pool of {PostgresSilo.MaxPoolSize}; Payments:GatewayUrl the gateway simulator in this process, over HTTP, as a cluster's silos reach it); the same check: balance = 1,000 x charges answered, the ledger adds up.";

    public override IReadOnlyList<int> Concurrency => [32, 256];

    public override IReadOnlyList<Baseline> Baselines => [new("hot-wallet-pg-naive", 10)];

    public override string? Notes => PostgresSilo.SharedMachineNote;

    public override Task<IAsyncDisposable?> BeforeSiloAsync(IDictionary<string, string?> siloConfiguration) =>
        PostgresSilo.ConfigureAsync(siloConfiguration);
}

/// <summary>The naive design of hot-wallet-pg: one PostgreSQL transaction per charge on one wallet row.</summary>
internal sealed class HotWalletPgNaive : NaivePostgresCharges
{
    public override string Name => "hot-wallet-pg-naive";

    public override string Measures => "the baseline of hot-wallet-pg, no silo: ONE wallet row; " + Transaction + ".";

    public override string? Notes => PostgresSilo.SharedMachineNote;

    protected override int Wallets => 1;
}
