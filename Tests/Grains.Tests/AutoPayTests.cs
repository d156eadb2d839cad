using AdWallet.Grains.AdAccounts;
using AdWallet.TestSupport;
using AdWallet.Grains.Payments;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Auto-pay over a simulated billing day, at the wallet: threshold charges, backups, failures, retries, midnight, the daily limit.</summary>
public sealed class AutoPayTests
{
    private const string Account = "acc_autopay";
    private const string GoodCard = TestCards.Succeeding;
    private const string BadCard = TestCards.RegistersButDeclines;

    private static int s_sequence;

    [Fact]
    public async Task A_negative_balance_reaching_500000_is_charged_500000_at_once_on_the_primary_card()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, cards) = await AutoPayWalletAsync(platform, GoodCard);

        await SpendAsync(wallet, 499_000);
        Assert.Empty(await AttemptsAsync(wallet));
        await SpendAsync(wallet, 1_000);

        var attempt = Assert.Single(await AttemptsAsync(wallet));
        Assert.Equal((cards[0], 500_000L, ChargeStatus.Succeeded), (attempt.CardId, attempt.Amount, attempt.Status));
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Master), Account));
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_failing_primary_falls_back_to_the_next_credit_card()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, cards) = await AutoPayWalletAsync(platform, BadCard, GoodCard);

        await SpendAsync(wallet, 600_000);

        var attempts = await AttemptsAsync(wallet);
        Assert.Equal([(cards[0], ChargeStatus.Failed), (cards[1], ChargeStatus.Succeeded)], attempts.Select(a => (a.CardId, a.Status)));
        Assert.Equal(ErrorCodes.CardDeclined, attempts[0].Code);
        Assert.Equal(-100_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Master), Account));
    }

    [Fact]
    public async Task When_every_card_fails_the_accounts_go_off_people_are_told_and_retries_bring_them_back()
    {
        await using var platform = await Platform.StartAsync(b => b.Configure("AutoPay:RetryInterval", "01:00:00"));
        var (wallet, cards) = await AutoPayWalletAsync(platform, BadCard, BadCard);

        await SpendAsync(wallet, 500_000);

        Assert.Equal(new FundingStatus(false, OffReasons.InsufficientBalance), await wallet.AttachAdAccount(As(Platform.Master), Account));
        Assert.Equal(2, (await AttemptsAsync(wallet)).Count);
        foreach (var user in new[] { Platform.Master, Platform.Member })
            Assert.Contains((await platform.User(user).ListNotifications(new PageRequest())).Items, n => n.Kind == "auto_pay_failed");

        // Still failing at the first retry.
        await platform.TickAsync(wallet, "auto-pay-retry", TimeSpan.FromHours(1));
        Assert.Equal(4, (await AttemptsAsync(wallet)).Count);
        Assert.False((await wallet.AttachAdAccount(As(Platform.Master), Account)).On);

        // The card is fixed: a good card is added and made primary; the next retry charges it.
        var good = await wallet.AddCard(As(Platform.Master), new AddCard(GoodCard, "12/30", CardKinds.Credit));
        Assert.Equal(ErrorCodes.CardLimit, (await Assert.ThrowsAsync<DomainException>(
            () => wallet.AddCard(As(Platform.Master), new AddCard(GoodCard, "12/30", CardKinds.Credit)))).Code);
        await wallet.MakeCardPrimary(As(Platform.Member), good.Id);
        await platform.TickAsync(wallet, "auto-pay-retry", TimeSpan.FromHours(1));

        Assert.Equal((good.Id, ChargeStatus.Succeeded), ((await AttemptsAsync(wallet))[^1].CardId, (await AttemptsAsync(wallet))[^1].Status));
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Master), Account));
        Assert.Equal(2, cards.Count);
    }

    [Fact]
    public async Task A_manual_charge_after_every_card_failed_turns_the_accounts_on()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, _) = await AutoPayWalletAsync(platform, BadCard);
        await SpendAsync(wallet, 500_000);
        Assert.False((await wallet.AttachAdAccount(As(Platform.Master), Account)).On);

        await wallet.Charge(As(Platform.Member), new ChargeCommand(500_000, PaymentMethods.PayMoney, true), Key());

        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Master), Account));
    }

    [Fact]
    public async Task At_midnight_in_seoul_the_previous_days_negative_balance_is_charged()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, _) = await AutoPayWalletAsync(platform, GoodCard);
        await SpendAsync(wallet, 30_000);
        Assert.Empty(await AttemptsAsync(wallet));

        // The test clock starts at 00:00 UTC, 09:00 in Seoul: midnight there is 15 hours away.
        await platform.TickAsync(wallet, "auto-pay-midnight", TimeSpan.FromHours(15));

        var attempt = Assert.Single(await AttemptsAsync(wallet));
        Assert.Equal(30_000, attempt.Amount);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 15, 0, 0, TimeSpan.Zero), attempt.CreatedAt);
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
    }

    [Fact]
    public async Task Reaching_the_daily_limit_turns_the_accounts_off_until_the_next_day()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, _) = await AutoPayWalletAsync(platform, GoodCard);
        await wallet.SetAutoPay(As(Platform.Master), new AutoPaySettings(true, DailyLimit: 300_000));

        await SpendAsync(wallet, 500_000);

        var attempt = Assert.Single(await AttemptsAsync(wallet));
        Assert.Equal(300_000, attempt.Amount);
        Assert.Equal(-200_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(new FundingStatus(false, OffReasons.DailyLimit), await wallet.AttachAdAccount(As(Platform.Master), Account));

        await platform.TickAsync(wallet, "auto-pay-midnight", TimeSpan.FromHours(15));

        Assert.Equal(200_000, (await AttemptsAsync(wallet))[^1].Amount);
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Master), Account));
    }

    [Fact]
    public async Task Auto_pay_charges_credit_cards_only()
    {
        await using var platform = await Platform.StartAsync();
        var (wallet, cards) = await AutoPayWalletAsync(platform, GoodCard);
        await wallet.AddCard(As(Platform.Master), new AddCard(GoodCard, "12/30", CardKinds.Check));
        var check = (await wallet.Get(As(Platform.Master))).Cards.Single(c => c.Kind == CardKinds.Check);
        await wallet.MakeCardPrimary(As(Platform.Master), check.Id);

        await SpendAsync(wallet, 500_000);

        Assert.Equal(cards[0], Assert.Single(await AttemptsAsync(wallet)).CardId);
    }

    [Fact]
    public async Task A_retry_interval_below_the_minimum_reminder_period_retries_every_minimum_period()
    {
        var minimum = TimeSpan.FromMinutes(5);
        // Reconciliation at the minimum itself, so that only the retry interval is below it.
        await using var platform = await Platform.StartAsync(b => b
            .Configure("Reminders:MinimumReminderPeriod", "00:05:00")
            .Configure("Payments:ReconciliationInterval", "00:05:00")
            .Configure("AutoPay:RetryInterval", "00:00:30"));
        var (wallet, _) = await AutoPayWalletAsync(platform, BadCard);

        await SpendAsync(wallet, 500_000);

        Assert.Equal(new FundingStatus(false, OffReasons.InsufficientBalance), await wallet.AttachAdAccount(As(Platform.Master), Account));
        var retry = await platform.ReminderAsync(wallet, "auto-pay-retry");
        Assert.NotNull(retry);
        Assert.Equal((minimum, platform.Clock.GetUtcNow() + minimum), (retry.Period, retry.StartAt));

        var good = await wallet.AddCard(As(Platform.Master), new AddCard(GoodCard, "12/30", CardKinds.Credit));
        await wallet.MakeCardPrimary(As(Platform.Master), good.Id);
        await platform.TickAsync(wallet, "auto-pay-retry", minimum);

        var last = (await AttemptsAsync(wallet))[^1];
        Assert.Equal((good.Id, 500_000L, ChargeStatus.Succeeded), (last.CardId, last.Amount, last.Status));
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Master), Account));
        Assert.Null(await platform.ReminderAsync(wallet, "auto-pay-retry"));
    }

    private static async Task<(IWalletGrain Wallet, IReadOnlyList<string> Cards)> AutoPayWalletAsync(Platform platform, params string[] creditCards)
    {
        var wallet = await platform.NewWalletAsync();
        var cards = new List<string>();
        foreach (var number in creditCards)
            cards.Add((await wallet.AddCard(As(Platform.Master), new AddCard(number, "12/30", CardKinds.Credit))).Id);
        await wallet.SetAutoPay(As(Platform.Master), new AutoPaySettings(true));
        await wallet.AttachAdAccount(As(Platform.Master), Account);
        return (wallet, cards);
    }

    private static Task SpendAsync(IWalletGrain wallet, long amount) =>
        wallet.SettleSpend(new SpendSettlement("cmp_autopay", Account, Interlocked.Increment(ref s_sequence), amount));

    private static async Task<IReadOnlyList<AutoPayAttemptView>> AttemptsAsync(IWalletGrain wallet) =>
        [.. (await wallet.ListAutoPayAttempts(As(Platform.Master), new PageRequest(200))).Items.Reverse()];
}
