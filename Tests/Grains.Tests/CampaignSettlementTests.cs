using AdWallet.TestSupport;
using System.Collections.Concurrent;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Wallets;
using Microsoft.Extensions.DependencyInjection;
using static AdWallet.Grains.Tests.Advertising;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Campaign spend reaches the wallet in batches, exactly once, whatever stops the silo on the way.</summary>
public sealed class CampaignSettlementTests
{
    private static readonly Caller Master = As(Platform.Master);
    private static readonly TimeSpan SettleReminderPeriod = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_interval_settles_accrued_spend_and_the_threshold_settles_at_once()
    {
        var log = new SettlementLog();
        await using var platform = await Platform.StartAsync(b => b
            .Configure("Billing:SettlementThreshold", "500")
            .ConfigureServices(s => s.AddSingleton(new SettlementHooks { AfterWalletCall = log.Record })));
        var (wallet, _, campaign) = await platform.NewRunningCampaignAsync();

        await campaign.Participate(Master, Participant(1));
        Assert.Empty(await wallet.UsesAsync());
        platform.Clock.Advance(BillingOptions.DefaultSettlementInterval);
        await log.Count.WhenAtLeast(1).WaitAsync(Eventually.Deadline);

        for (var i = 2; i <= 6; i++) await campaign.Participate(Master, Participant(i));
        await log.Count.WhenAtLeast(2).WaitAsync(Eventually.Deadline);

        Assert.Equal([(1L, 100L), (2L, 500L)], log.Settlements.Select(s => (s.Sequence, s.Amount)));
        Assert.Equal([-500L, -100L], (await wallet.UsesAsync()).Select(t => t.Amount));
        Assert.Equal(0, await campaign.SettleNow());
    }

    [Fact]
    public async Task Spend_accrued_before_a_crash_is_settled_once_by_the_reminder_after_the_restart()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, _, campaign) = await platform.NewRunningCampaignAsync();
        for (var i = 1; i <= 5; i++) await campaign.Participate(Master, Participant(i));
        Assert.Equal(["settle"], await platform.RemindersAsync(campaign));

        await platform.RestartAsync(graceful: false);
        (wallet, campaign) = Again(platform, wallet, campaign);
        Assert.Empty(await wallet.UsesAsync());

        await platform.TickAsync(campaign, "settle", SettleReminderPeriod);

        Assert.Equal([-500L], (await wallet.UsesAsync()).Select(t => t.Amount));
        // With nothing left unsettled, the reminder has gone; new spend brings it back.
        Assert.Empty(await platform.RemindersAsync(campaign));
        Assert.Equal(0, await campaign.SettleNow());
        Assert.Equal(Funds - 500, (await wallet.Get(Master)).Balance.Total);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
        await campaign.Participate(Master, Participant(6));
        Assert.Equal(["settle"], await platform.RemindersAsync(campaign));
    }

    [Fact]
    public async Task A_graceful_restart_with_spend_accrued_settles_it_exactly_once()
    {
        var asked = new SettlementLog();
        await using var platform = await Platform.StartAsync(b => b.ConfigureServices(s => s.AddSingleton(new SettlementHooks { BeforeWalletCall = asked.Record })));
        var (wallet, _, campaign) = await platform.NewRunningCampaignAsync();
        for (var i = 1; i <= 3; i++) await campaign.Participate(Master, Participant(i));

        // Deactivating, the campaign starts a settlement; the stopping silo no longer reaches the wallet.
        await platform.RestartAsync(graceful: true);
        Assert.Equal([(1L, 300L)], asked.Settlements.Select(s => (s.Sequence, s.Amount)));
        (wallet, campaign) = Again(platform, wallet, campaign);
        Assert.Empty(await wallet.UsesAsync());
        await platform.TickAsync(campaign, "settle", SettleReminderPeriod);

        // After the restart the same settlement is asked again, and taken once.
        Assert.Equal([(1L, 300L), (1L, 300L)], asked.Settlements.Select(s => (s.Sequence, s.Amount)));
        var uses = await wallet.UsesAsync();
        Assert.Equal([(-300L, $"{campaign.GetPrimaryKeyString()}/1")], uses.Select(t => (t.Amount, t.Reference)));
        Assert.Equal(0, await campaign.SettleNow());
        await campaign.Participate(Master, Participant(4));
        Assert.Equal(0, await campaign.SettleNow());
        Assert.Equal(-400, (await wallet.UsesAsync()).Sum(t => t.Amount));
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_crash_after_the_wallet_took_a_settlement_and_before_the_campaign_stored_it_charges_once()
    {
        var blocker = new SettlementBlocker();
        await using var platform = await Platform.StartAsync(b => b.ConfigureServices(s => s.AddSingleton(new SettlementHooks { AfterWalletCall = blocker.Hook })));
        try
        {
            var (wallet, _, campaign) = await platform.NewRunningCampaignAsync();
            for (var i = 1; i <= 3; i++) await campaign.Participate(Master, Participant(i));

            var lost = campaign.SettleNow();
            var held = await blocker.Reached.Task.WaitAsync(Eventually.Deadline);
            Assert.Equal((1L, 300L), (held.Sequence, held.Amount));
            Assert.Equal([-300L], (await wallet.UsesAsync()).Select(t => t.Amount));

            await platform.RestartAsync(graceful: false);
            await Assert.ThrowsAnyAsync<Exception>(() => lost);
            (wallet, campaign) = Again(platform, wallet, campaign);
            await platform.TickAsync(campaign, "settle", SettleReminderPeriod);

            // The campaign asked again for settlement 1; the wallet answered it without taking it twice.
            Assert.Equal(0, await campaign.SettleNow());
            Assert.Equal([-300L], (await wallet.UsesAsync()).Select(t => t.Amount));

            await campaign.Participate(Master, Participant(4));
            await campaign.Participate(Master, Participant(5));
            Assert.Equal(0, await campaign.SettleNow());
            var id = campaign.GetPrimaryKeyString();
            Assert.Equal([(-200L, $"{id}/2"), (-300L, $"{id}/1")], (await wallet.UsesAsync()).Select(t => (t.Amount, t.Reference)));
            Assert.Equal(Funds - 500, (await wallet.Get(Master)).Balance.Total);
            await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
        }
        finally
        {
            blocker.Release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_crash_after_a_settlement_started_and_before_the_wallet_was_asked_charges_once()
    {
        var blocker = new SettlementBlocker();
        await using var platform = await Platform.StartAsync(b => b.ConfigureServices(s => s.AddSingleton(new SettlementHooks { BeforeWalletCall = blocker.Hook })));
        try
        {
            var (wallet, _, campaign) = await platform.NewRunningCampaignAsync();
            for (var i = 1; i <= 3; i++) await campaign.Participate(Master, Participant(i));

            var lost = campaign.SettleNow();
            await blocker.Reached.Task.WaitAsync(Eventually.Deadline);
            await platform.RestartAsync(graceful: false);
            await Assert.ThrowsAnyAsync<Exception>(() => lost);
            (wallet, campaign) = Again(platform, wallet, campaign);
            Assert.Empty(await wallet.UsesAsync());

            // Spend accrued after the crash waits for the settlement left open, which is retried as it was.
            await campaign.Participate(Master, Participant(4));
            await platform.TickAsync(campaign, "settle", SettleReminderPeriod);
            Assert.Equal(0, await campaign.SettleNow());

            var id = campaign.GetPrimaryKeyString();
            Assert.Equal([(-100L, $"{id}/2"), (-300L, $"{id}/1")], (await wallet.UsesAsync()).Select(t => (t.Amount, t.Reference)));
            Assert.Equal(Funds - 400, (await wallet.Get(Master)).Balance.Total);
            await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
        }
        finally
        {
            blocker.Release.TrySetResult();
        }
    }

    private static (IWalletGrain, ICampaignGrain) Again(Platform platform, IWalletGrain wallet, ICampaignGrain campaign) =>
        (platform.Wallet(wallet.GetPrimaryKeyString()), platform.Campaign(campaign.GetPrimaryKeyString()));

    /// <summary>Records the settlements the wallet took, in order, and lets a test await them.</summary>
    private sealed class SettlementLog
    {
        private readonly ConcurrentQueue<SpendSettlement> _settlements = new();

        public SignalCounter Count { get; } = new();

        public IReadOnlyList<SpendSettlement> Settlements => [.. _settlements];

        public Task Record(SpendSettlement settlement)
        {
            _settlements.Enqueue(settlement);
            Count.Increment();
            return Task.CompletedTask;
        }
    }
}
