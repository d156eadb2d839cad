using AdWallet.Grains.Payments;
using AdWallet.TestSupport;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>
/// The wallet's state holds only what is open; every charge, refund and auto-pay attempt is an item in storage. A
/// wallet whose history outgrew its state still lists, finds, replays and refunds it, after a restart too.
/// </summary>
public sealed class BoundedWalletTests
{
    private const string Account = "acc_bounded";
    private const int Charges = 300;
    private const long ChargeAmount = 1_000;

    [Fact]
    public async Task Hundreds_of_spent_charges_list_newest_first_across_pages_and_old_ones_are_found_after_a_restart()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, charges) = await WalletWithSpentChargesAsync(platform);

        Assert.Equal(charges.Select(c => c.Id).Reverse(), await AllChargeIdsAsync(wallet, pageSize: 47));

        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());

        Assert.Equal(charges.Select(c => c.Id).Reverse(), await AllChargeIdsAsync(wallet, pageSize: PageRequest.MaxLimit));
        var oldest = await wallet.GetCharge(As(Platform.Master), charges[0].Id);
        Assert.Equal((charges[0].Id, ChargeAmount, ChargeStatus.Succeeded, 0L), (oldest.Id, oldest.Amount, oldest.Status, oldest.RefundedAmount));
        Assert.Equal(charges[0], oldest);
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_replay_of_an_old_closed_charge_after_a_restart_answers_the_first_answer_without_capturing_again()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, charges) = await WalletWithSpentChargesAsync(platform);
        await platform.RestartAsync(graceful: true);
        // Well past the idempotency window the state keeps for refunds and grants.
        platform.Clock.Advance(WalletState.IdempotencyRetention + TimeSpan.FromDays(1));
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());
        var captures = await platform.Gateway.CaptureCountAsync();

        var replay = await wallet.Charge(As(Platform.Master), CardCharge(ChargeAmount), Key("bounded-0"));
        var changed = await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(As(Platform.Master), CardCharge(ChargeAmount), Key("bounded-1", "other-hash")));

        Assert.True(replay.Replayed);
        Assert.Equal(charges[0], replay.Value);
        Assert.Equal(ErrorCodes.IdempotencyKeyReused, changed.Code);
        Assert.Equal(captures, await platform.Gateway.CaptureCountAsync());
        Assert.Equal(Charges, await platform.Gateway.CaptureCountAsync());
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
    }

    [Fact]
    public async Task A_refund_of_a_used_up_charge_exceeds_what_is_available_and_an_unknown_charge_is_not_found()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, charges) = await WalletWithSpentChargesAsync(platform, count: 3);

        var usedUp = await Assert.ThrowsAsync<DomainException>(() => wallet.Refund(As(Platform.Master), new RefundCommand(charges[0].Id), Key()));
        var partly = await Assert.ThrowsAsync<DomainException>(() => wallet.Refund(As(Platform.Master), new RefundCommand(charges[2].Id, 1), Key()));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => wallet.Refund(As(Platform.Master), new RefundCommand("chg_unknown"), Key()));

        Assert.Equal(ErrorCodes.RefundExceedsAvailable, usedUp.Code);
        Assert.Equal(ErrorCodes.RefundExceedsAvailable, partly.Code);
        Assert.Equal(ErrorCodes.NotFound, unknown.Code);
        Assert.Equal(0, await platform.Gateway.RefundedForAsync($"{wallet.GetPrimaryKeyString()}/{charges[0].Id}"));
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task Auto_pay_attempts_list_page_by_page_from_storage_before_and_after_a_restart()
    {
        const int attempts = 25;
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var card = await wallet.AddCard(As(Platform.Master), new AddCard(TestCards.Succeeding, "12/30", CardKinds.Credit));
        await wallet.SetAutoPay(As(Platform.Master), new AutoPaySettings(true));
        await wallet.AttachAdAccount(As(Platform.Master), Account);
        for (var i = 1; i <= attempts; i++)
        {
            platform.Clock.Advance(TimeSpan.FromSeconds(1));
            await wallet.SettleSpend(new SpendSettlement("cmp_bounded", Account, i, 500_000 + i));
        }

        var listed = await AllAttemptsAsync(wallet, pageSize: 7);
        Assert.Equal(attempts, listed.Count);
        Assert.Equal(attempts, listed.Select(a => a.Id).Distinct().Count());
        Assert.All(listed, a => Assert.Equal((card.Id, ChargeStatus.Succeeded), (a.CardId, a.Status)));
        Assert.Equal(listed.OrderByDescending(a => a.CreatedAt).Select(a => a.Id), listed.Select(a => a.Id));
        Assert.Equal(Enumerable.Repeat(500_000L, attempts), listed.Select(a => a.Amount));

        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());

        Assert.Equal(listed, await AllAttemptsAsync(wallet, pageSize: 10));
        Assert.Equal(attempts, await platform.Gateway.CaptureCountAsync());
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    /// <summary>A wallet with <paramref name="count"/> card charges whose paid cash an ad account's spend used up.</summary>
    private static async Task<(IWalletGrain Wallet, List<ChargeView> Charges)> WalletWithSpentChargesAsync(Platform platform, int count = Charges)
    {
        var wallet = await platform.NewWalletAsync();
        await wallet.AttachAdAccount(As(Platform.Master), Account);
        var charges = new List<ChargeView>();
        for (var i = 0; i < count; i++)
        {
            // Each charge a moment after the last, so that newest first is one order.
            platform.Clock.Advance(TimeSpan.FromSeconds(1));
            charges.Add((await wallet.Charge(As(Platform.Master), CardCharge(ChargeAmount), Key($"bounded-{i}"))).Value);
        }
        Assert.All(charges, c => Assert.Equal(ChargeStatus.Succeeded, c.Status));

        var settled = await wallet.SettleSpend(new SpendSettlement("cmp_bounded", Account, 1, count * ChargeAmount));
        Assert.False(settled.Replayed);
        Assert.Equal(new BalanceView(0, 0, 0), (await wallet.Get(As(Platform.Master))).Balance);
        return (wallet, charges);
    }

    private static async Task<List<string>> AllChargeIdsAsync(IWalletGrain wallet, int pageSize)
    {
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await wallet.ListCharges(As(Platform.Master), new PageRequest(pageSize, cursor));
            Assert.True(page.Items.Count <= pageSize);
            ids.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
            Assert.True(++pages <= Charges + 1, "the cursors never end");
        }
        while (cursor is not null);
        return ids;
    }

    private static async Task<List<AutoPayAttemptView>> AllAttemptsAsync(IWalletGrain wallet, int pageSize)
    {
        var all = new List<AutoPayAttemptView>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await wallet.ListAutoPayAttempts(As(Platform.Master), new PageRequest(pageSize, cursor));
            Assert.True(page.Items.Count <= pageSize);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
            Assert.True(++pages <= 100, "the cursors never end");
        }
        while (cursor is not null);
        return all;
    }
}
