using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class FreeCashTests
{
    [Fact]
    public async Task Operators_grant_free_cash_kept_apart_from_paid_cash()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key());

        var grant = (await wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(3_000, platform.Clock.GetUtcNow().AddDays(30)), Key())).Value;

        Assert.Equal(new BalanceView(3_000, 10_000, 13_000), grant.Balance);
        var entry = (await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet))[0];
        Assert.Equal((TransactionKinds.FreeCash, 3_000L, 3_000L, 0L, grant.Id), (entry.Kind, entry.Amount, entry.Free, entry.Paid, entry.Reference));
        var notices = await platform.User(Platform.Master).ListNotifications(new PageRequest());
        Assert.Equal("free_cash_granted", Assert.Single(notices.Items).Kind);
    }

    [Fact]
    public async Task Only_operators_grant_free_cash()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var error = await Assert.ThrowsAsync<DomainException>(
            () => wallet.GrantFreeCash(As(Platform.Master), new GrantFreeCash(3_000, platform.Clock.GetUtcNow().AddDays(1)), Key()));

        Assert.Equal(ErrorCodes.Forbidden, error.Code);
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
    }

    [Fact]
    public async Task Free_cash_that_expires_is_removed_by_a_reminder_as_a_ledger_entry()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var start = platform.Clock.GetUtcNow();
        await wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(3_000, start.AddHours(2)), Key());
        await wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(1_000, start.AddHours(5)), Key());
        await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key());

        await platform.TickAsync(wallet, "free-cash-expiry", TimeSpan.FromHours(2));
        Assert.Equal(new BalanceView(1_000, 10_000, 11_000), (await wallet.Get(As(Platform.Master))).Balance);

        await platform.TickAsync(wallet, "free-cash-expiry", TimeSpan.FromHours(3));
        Assert.Equal(new BalanceView(0, 10_000, 10_000), (await wallet.Get(As(Platform.Master))).Balance);

        var expiries = await wallet.ListTransactions(As(Platform.Master), TransactionKinds.FreeCash, new PageRequest());
        Assert.Equal([-1_000L, -3_000L, 1_000L, 3_000L], expiries.Items.Select(t => t.Amount));
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task Free_cash_must_expire_in_the_future()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var error = await Assert.ThrowsAsync<DomainException>(
            () => wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(3_000, platform.Clock.GetUtcNow()), Key()));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
    }
}
