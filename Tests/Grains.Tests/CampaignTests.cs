using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using static AdWallet.Grains.Tests.Advertising;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Campaigns: their rules, their schedule, and participations that never spend past the budget.</summary>
public sealed class CampaignTests
{
    private static readonly Caller Master = As(Platform.Master);
    private static readonly Caller Member = As(Platform.Member);

    [Fact]
    public async Task A_scheduled_campaign_is_started_and_ended_by_its_reminders()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewFundedWalletAsync();
        var account = await platform.NewAdAccountAsync(wallet);
        var now = platform.Clock.GetUtcNow();
        var campaign = await platform.NewCampaignAsync(account, Emoticon(startsAt: now.AddHours(1), endsAt: now.AddHours(3)));

        Assert.Equal(CampaignStatuses.Scheduled, (await campaign.Get(Master)).Status);
        Assert.Equal(["end", "start"], await platform.RemindersAsync(campaign));
        Assert.Equal(ErrorCodes.CampaignNotRunning, (await RefusedAsync(() => campaign.Participate(Master, Participant(1)))).Code);
        // Until it runs, the budget may still change.
        Assert.Equal(200_000, (await campaign.Update(Member, new UpdateCampaign(Budget: 200_000))).Budget);

        await platform.TickAsync(campaign, "start", TimeSpan.FromHours(1));

        Assert.Equal(["end"], await platform.RemindersAsync(campaign));
        Assert.Equal(CampaignStatuses.Running, (await campaign.Get(Master)).Status);
        await campaign.Participate(Master, Participant(1));
        await campaign.Participate(Master, Participant(2));
        Assert.Equal(ErrorCodes.BudgetLocked, (await RefusedAsync(() => campaign.Update(Master, new UpdateCampaign(Budget: 300_000)))).Code);

        await platform.TickAsync(campaign, "end", TimeSpan.FromHours(2));

        // The end reminder ended the campaign and settled its spend, with nobody asking.
        Assert.Equal(-200, (await wallet.UsesAsync()).Sum(t => t.Amount));
        Assert.Empty(await platform.RemindersAsync(campaign));
        var ended = await campaign.Get(Master);
        Assert.Equal((CampaignStatuses.Ended, EndReasons.EndTime, 200L, 2L), (ended.Status, ended.EndReason, ended.Spent, ended.Participations));
        Assert.Equal(ErrorCodes.CampaignNotRunning, (await RefusedAsync(() => campaign.Participate(Master, Participant(3)))).Code);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_moved_end_time_moves_the_end_reminder()
    {
        await using var platform = await Platform.StartAsync();
        var now = platform.Clock.GetUtcNow();
        var (_, _, campaign) = await platform.NewRunningCampaignAsync(Emoticon(endsAt: now.AddHours(1)));

        var moved = await campaign.Update(Member, new UpdateCampaign(Name: "Summer emoticons", EndsAt: now.AddHours(2)));
        Assert.Equal(("Summer emoticons", now.AddHours(2)), (moved.Name, moved.EndsAt));
        Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => campaign.Update(Member, new UpdateCampaign(EndsAt: now.AddMinutes(-1))))).Code);

        platform.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(CampaignStatuses.Running, (await campaign.Get(Master)).Status);

        await platform.TickAsync(campaign, "end", TimeSpan.FromHours(1));
        var ended = await campaign.Get(Master);
        Assert.Equal((CampaignStatuses.Ended, EndReasons.EndTime), (ended.Status, ended.EndReason));
        Assert.Equal(ErrorCodes.CampaignNotRunning,
            (await RefusedAsync(() => campaign.Update(Master, new UpdateCampaign(EndsAt: now.AddHours(5))))).Code);
    }

    [Fact]
    public async Task The_end_time_is_exact_even_before_its_reminder_fires()
    {
        await using var platform = await Platform.StartAsync();
        var now = platform.Clock.GetUtcNow();
        var (wallet, _, campaign) = await platform.NewRunningCampaignAsync(Emoticon(endsAt: now.AddHours(1)));
        await campaign.Participate(Master, Participant(1));

        // The clock passes the end without the reminder service being told (as when it runs late).
        await platform.StopAsync(graceful: false);
        platform.Clock.Advance(TimeSpan.FromHours(1));
        await platform.StartSiloAsync();
        campaign = platform.Campaign(campaign.GetPrimaryKeyString());

        Assert.Equal(ErrorCodes.CampaignNotRunning, (await RefusedAsync(() => campaign.Participate(Master, Participant(2)))).Code);
        Assert.Equal(EndReasons.EndTime, (await campaign.Get(Master)).EndReason);
        Assert.Equal(0, await campaign.SettleNow());
        Assert.Equal(-100, (await platform.Wallet(wallet.GetPrimaryKeyString()).UsesAsync()).Sum(t => t.Amount));
    }

    [Fact]
    public async Task The_creative_is_replaced_while_running_and_a_stopped_campaign_ends_and_settles()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, _, campaign) = await platform.NewRunningCampaignAsync();

        Assert.Equal("crv_2", (await campaign.ReplaceCreative(Member, "crv_2")).CreativeId);
        Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => campaign.ReplaceCreative(Member, " "))).Code);
        await campaign.Participate(Member, Participant(1));

        var stopped = await campaign.Stop(Member);

        Assert.Equal((CampaignStatuses.Ended, EndReasons.Stopped, 100L, "crv_2"), (stopped.Status, stopped.EndReason, stopped.Spent, stopped.CreativeId));
        Assert.Equal([-100L], (await wallet.UsesAsync()).Select(t => t.Amount));
        Assert.Empty(await platform.RemindersAsync(campaign));
        Assert.Equal(EndReasons.Stopped, (await campaign.Stop(Master)).EndReason);
        Assert.Equal(ErrorCodes.CampaignNotRunning, (await RefusedAsync(() => campaign.ReplaceCreative(Member, "crv_3"))).Code);
        Assert.Equal(ErrorCodes.CampaignNotRunning, (await RefusedAsync(() => campaign.Participate(Member, Participant(2)))).Code);
        Assert.Equal(ErrorCodes.BudgetLocked, (await RefusedAsync(() => campaign.Update(Member, new UpdateCampaign(Budget: 1_000)))).Code);
        Assert.Equal("Renamed", (await campaign.Update(Member, new UpdateCampaign(Name: "Renamed"))).Name);
    }

    [Fact]
    public async Task Campaign_rules_are_checked_at_creation_and_update()
    {
        await using var platform = await Platform.StartAsync();
        var (_, account, campaign) = await platform.NewRunningCampaignAsync();
        var now = platform.Clock.GetUtcNow();

        CreateCampaign[] invalid =
        [
            Emoticon() with { Name = "" },
            Emoticon() with { Name = new string('x', 101) },
            Emoticon(kind: "banner"),
            Emoticon(price: 0),
            Emoticon(budget: 99, price: 100),
            Emoticon(budget: 10_000_000_001, price: 100),
            Emoticon(endsAt: now),
            Emoticon(startsAt: now.AddHours(2), endsAt: now.AddHours(1)),
        ];
        foreach (var command in invalid)
            Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => account.CreateCampaign(Master, command))).Code);

        Assert.Single((await account.Get(Master)).CampaignIds);
        var largest = await account.CreateCampaign(Master, Emoticon(budget: CampaignRules.MaximumBudget, price: 1));
        Assert.Equal(CampaignRules.MaximumBudget, largest.Budget);
        Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => campaign.Update(Master, new UpdateCampaign(Name: " ")))).Code);
        Assert.Equal(ErrorCodes.AlreadyExists, (await RefusedAsync(() => campaign.Create(
            new CampaignSetup(account.GetPrimaryKeyString(), "wal_x", true, [Platform.Outsider], Emoticon())))).Code);

        var scheduled = await platform.NewCampaignAsync(account, Emoticon(startsAt: now.AddDays(1)));
        Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => scheduled.Update(Master, new UpdateCampaign(Budget: 50)))).Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => scheduled.Update(Master, new UpdateCampaign(EndsAt: now.AddHours(1))))).Code);
    }

    [Fact]
    public async Task A_user_counts_once_and_a_repeat_is_answered_as_the_first_time()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, _, campaign) = await platform.NewRunningCampaignAsync(Emoticon(budget: 1_000, price: 100));

        var first = await campaign.Participate(Master, Participant(1));
        var second = await campaign.Participate(Master, Participant(2));
        var repeat = await campaign.Participate(Member, Participant(1) with { Phone = "+15550000000" });

        Assert.Equal(new ParticipationResult(true, 100, 900, Replayed: false), first);
        Assert.Equal(new ParticipationResult(true, 200, 800, Replayed: false), second);
        Assert.Equal(new ParticipationResult(true, 100, 900, Replayed: true), repeat);
        var view = await campaign.Get(Master);
        Assert.Equal((2L, 200L), (view.Participations, view.Spent));

        Assert.Equal(0, await campaign.SettleNow());
        Assert.Equal(repeat, await campaign.Participate(Master, Participant(1)));
        Assert.Equal(0, await campaign.SettleNow());
        Assert.Equal([-200L], (await wallet.UsesAsync()).Select(t => t.Amount));
        Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => campaign.Participate(Master, new Participation("", "+821012345678")))).Code);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task Overseas_phones_are_refused_except_in_coupon_campaigns()
    {
        await using var platform = await Platform.StartAsync();
        var (_, account, emoticon) = await platform.NewRunningCampaignAsync();
        var coupon = await platform.NewCampaignAsync(account, Emoticon(kind: CampaignKinds.EmoticonCoupon));
        var traveller = new Participation("traveller", "+15551234567");

        var refused = await RefusedAsync(() => emoticon.Participate(Master, traveller));
        var accepted = await coupon.Participate(Master, traveller);

        Assert.Equal(ErrorCodes.OverseasNotEligible, refused.Code);
        Assert.True(accepted.Accepted);
        Assert.True((await emoticon.Participate(Master, Participant(1))).Accepted);
        Assert.Equal(ErrorCodes.OverseasNotEligible, (await RefusedAsync(() => emoticon.Participate(Master, new Participation("local-ish", "82101234567")))).Code);
        Assert.Equal((1L, 1L), ((await emoticon.Get(Master)).Participations, (await coupon.Get(Master)).Participations));
    }

    [Fact]
    public async Task A_thousand_concurrent_participations_never_spend_past_the_budget()
    {
        const long Budget = 55_550;
        const long Price = 100;
        const long Accepted = Budget / Price;
        const long Spent = Accepted * Price;
        await using var platform = await Platform.StartAsync();
        var (wallet, _, campaign) = await platform.NewRunningCampaignAsync(Emoticon(budget: Budget, price: Price));

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 1_000).Select(i => Task.Run(async () =>
        {
            try
            {
                return (User: i, Result: await campaign.Participate(i % 2 == 0 ? Master : Member, Participant(i)), Code: (string?)null);
            }
            catch (DomainException refusal)
            {
                return (User: i, Result: (ParticipationResult?)null, Code: refusal.Code);
            }
        })));

        var accepted = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToArray();
        Assert.Equal(Accepted, accepted.Length);
        Assert.All(accepted, a => Assert.InRange(a.Spent, Price, Budget));
        Assert.Equal(Enumerable.Range(1, (int)Accepted).Select(n => n * Price), accepted.Select(a => a.Spent).Order());
        Assert.All(accepted, a => Assert.Equal(Budget - a.Spent, a.Remaining));
        Assert.All(outcomes.Where(o => o.Result is null), o => Assert.Equal(ErrorCodes.BudgetExhausted, o.Code));
        await AssertExhaustedAsync(campaign);

        Assert.Equal(0, await campaign.SettleNow());
        Assert.Equal(-Spent, (await wallet.UsesAsync()).Sum(t => t.Amount));
        Assert.Equal(Funds - Spent, (await wallet.Get(Master)).Balance.Total);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);

        await platform.RestartAsync(graceful: false);
        campaign = platform.Campaign(campaign.GetPrimaryKeyString());
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());
        await AssertExhaustedAsync(campaign);
        Assert.Equal(0, await campaign.SettleNow());
        Assert.Equal(-Spent, (await wallet.UsesAsync()).Sum(t => t.Amount));
        Assert.Equal(ErrorCodes.BudgetExhausted, (await RefusedAsync(() => campaign.Participate(Master, Participant(5_000)))).Code);
        // Which users got in is up to the race; any of them is answered as the first time.
        var winner = outcomes.First(o => o.Result is not null);
        Assert.Equal(winner.Result! with { Replayed = true }, await campaign.Participate(Master, Participant(winner.User)));
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);

        static async Task AssertExhaustedAsync(ICampaignGrain campaign)
        {
            var view = await campaign.Get(Master);
            Assert.Equal((Spent, Accepted, CampaignStatuses.Ended, EndReasons.BudgetExhausted), (view.Spent, view.Participations, view.Status, view.EndReason));
        }
    }

    [Fact]
    public async Task A_campaign_pauses_while_its_account_is_off_and_resumes_when_it_is_on_again()
    {
        await using var platform = await Platform.StartAsync();
        var (_, account, campaign) = await platform.NewRunningCampaignAsync();
        await campaign.Participate(Master, Participant(1));

        await account.SetFundingStatus(new FundingStatus(false, OffReasons.InsufficientBalance));

        Assert.Equal(CampaignStatuses.Paused, (await campaign.Get(Master)).Status);
        Assert.Equal(ErrorCodes.AdAccountOff, (await RefusedAsync(() => campaign.Participate(Master, Participant(2)))).Code);
        Assert.True((await campaign.Participate(Master, Participant(1))).Replayed);

        await account.SetFundingStatus(FundingStatus.Funded);

        Assert.Equal(CampaignStatuses.Running, (await campaign.Get(Master)).Status);
        Assert.Equal(200, (await campaign.Participate(Master, Participant(2))).Spent);

        // Created while the account is OFF: paused from the start, or scheduled until its start time.
        await account.SetStatus(Master, false);
        var paused = await account.CreateCampaign(Master, Emoticon());
        var scheduled = await account.CreateCampaign(Master, Emoticon(startsAt: platform.Clock.GetUtcNow().AddHours(1)));
        Assert.Equal((CampaignStatuses.Paused, CampaignStatuses.Scheduled), (paused.Status, scheduled.Status));
        await account.SetStatus(Master, true);
        Assert.Equal(CampaignStatuses.Running, (await platform.Campaign(paused.Id).Get(Master)).Status);
    }
}
