using AdWallet.Grains;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Wallets;

namespace AdWallet.Simulation.Tests;

/// <summary>Bugs the simulation found, each pinned down on its own once fixed (the seeds that found them are in <see cref="SimulationTests"/>).</summary>
public sealed class RegressionTests
{
    /// <summary>
    /// Seed 650747374: a campaign spent 323,200 won and its wallet's ledger was charged 308,800. The campaign's write of
    /// a settlement (sequence and amount) failed before it committed, but the activation had applied it in memory; a
    /// settlement running alongside retried it from memory, and the wallet took it. The next activation, which never
    /// saw it stored, settled everything accrued since under the same sequence, which the wallet had taken already: the
    /// spend in between was lost. An activation whose write failed now refuses to act on its state until it is gone.
    /// </summary>
    [Fact]
    public async Task A_settlement_whose_write_failed_is_not_retried_from_memory()
    {
        await using var world = await SimulationWorld.StartAsync();
        var master = new Caller("m0");
        var wallet = world.Grains.GetGrain<IWalletGrain>("wal_regression");
        await wallet.Create(master, new CreateWallet("Shop", WalletKinds.Business, "1234567890"));
        await wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(100_000, world.Clock.GetUtcNow().AddDays(30)), new IdempotencyKey("grant", "grant"));
        var account = world.Grains.GetGrain<IAdAccountGrain>("acc_regression");
        await account.Create(master, new CreateAdAccount("Account", "wal_regression"));
        var campaignId = (await account.CreateCampaign(master, new CreateCampaign("Emoticon", CampaignKinds.Emoticon, 1_000_000, 1_000))).Id;
        var campaign = world.Grains.GetGrain<ICampaignGrain>(campaignId);
        for (var user = 0; user < 7; user++) await campaign.Participate(master, new Participation($"user{user}", $"+82100000000{user}"));

        // The settlement's first write fails; a second settlement running alongside waits for it and tries again.
        world.StorageFaults.Enqueue(StorageFault.FailBeforeCommit, grainType: "campaign");
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            try { await campaign.SettleNow(); } catch (Exception) { }
        }));
        Assert.Equal(0, world.StorageFaults.Pending);
        // More spend, on whichever activation serves the campaign now.
        for (var user = 7; user < 10; user++)
        {
            await RetryAsync(() => campaign.Participate(master, new Participation($"user{user}", $"+82100000000{user}")));
        }
        await RetryAsync(async () => Assert.Equal(0, await campaign.SettleNow()));

        var view = await campaign.Get(master);
        Assert.Equal(10_000, view.Spent);
        var ledger = await wallet.ListTransactions(master, null, new PageRequest(PageRequest.MaxLimit));
        Assert.Equal(-10_000, ledger.Items.Where(entry => entry.Kind == TransactionKinds.Use).Sum(entry => entry.Amount));
        Assert.Equal(90_000, (await wallet.Get(master)).Balance.Total);
    }

    private static async Task RetryAsync(Func<Task> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(50);
            }
        }
    }
}
