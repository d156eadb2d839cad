using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>many-wallets on the cluster mode's storage: a co-hosted silo with Cluster:Mode=postgres on a scratch database.</summary>
internal sealed class ManyWalletsPg : ManyWallets
{
    public override string Name => "many-wallets-pg";

    public override string Measures =>
        $"many-wallets ({Wallets:N0} business wallets created before the clock, each call charges one picked uniformly) on a silo in this " +
        "process in cluster mode (UsePlatformSilo with Cluster:Mode=postgres: PostgreSQL grain state, reminders and membership, a scratch " +
        $"database per point, pool of {PostgresSilo.MaxPoolSize}; Payments:GatewayUrl the gateway simulator in this process, over HTTP, as a cluster's silos reach it); the same check: every balance = 1,000 x its answered charges, 20 sampled ledgers add up.";

    public override IReadOnlyList<Baseline> Baselines => [new("many-wallets-pg-naive", 10)];

    public override string? Notes => PostgresSilo.SharedMachineNote;

    public override Task<IAsyncDisposable?> BeforeSiloAsync(IDictionary<string, string?> siloConfiguration) =>
        PostgresSilo.ConfigureAsync(siloConfiguration);
}

/// <summary>The naive design of many-wallets-pg: one PostgreSQL transaction per charge on one of 10,000 wallet rows.</summary>
internal sealed class ManyWalletsPgNaive : NaivePostgresCharges
{
    public override string Name => "many-wallets-pg-naive";

    public override string Measures => $"the baseline of many-wallets-pg, no silo: {ManyWallets.Wallets:N0} wallet rows, each charge on one picked uniformly; " + Transaction + ".";

    public override string? Notes => PostgresSilo.SharedMachineNote;

    protected override int Wallets => ManyWallets.Wallets;
}
