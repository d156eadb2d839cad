using AdWallet.Grains.Wallets;
using AdWallet.TestSupport;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class RefundTests
{
    [Fact]
    public async Task A_refund_without_an_amount_returns_everything_unused_of_the_charge()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key())).Value;

        var refund = (await wallet.Refund(As(Platform.Member), new RefundCommand(charge.Id), Key())).Value;

        Assert.Equal(10_000, refund.Amount);
        Assert.Equal(new BalanceView(0, 0, 0), refund.Balance);
        Assert.Equal(10_000, (await wallet.GetCharge(As(Platform.Master), charge.Id)).RefundedAmount);
        Assert.Equal(10_000, await platform.Gateway.RefundedForAsync($"{wallet.GetPrimaryKeyString()}/{charge.Id}"));
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_refund_cannot_exceed_what_is_unused_of_its_charge()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key())).Value;
        await wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id, 7_000), Key());

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id, 3_001), Key()));
        var again = await wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id, 3_000), Key());
        var nothingLeft = await Assert.ThrowsAsync<DomainException>(() => wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id), Key()));

        Assert.Equal(ErrorCodes.RefundExceedsAvailable, error.Code);
        Assert.Equal(0, again.Value.Balance.Total);
        Assert.Equal(ErrorCodes.RefundExceedsAvailable, nothingLeft.Code);
    }

    [Fact]
    public async Task Free_cash_is_never_refunded()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(5_000, platform.Clock.GetUtcNow().AddDays(1)), Key());
        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(1_000), Key())).Value;

        var refund = (await wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id), Key())).Value;

        Assert.Equal(1_000, refund.Amount);
        Assert.Equal(new BalanceView(5_000, 0, 5_000), refund.Balance);
    }

    [Fact]
    public async Task Only_a_succeeded_charge_of_this_wallet_can_be_refunded()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var failed = (await wallet.Charge(As(Platform.Master), CardCharge(10_000, TestCards.Declined), Key())).Value;

        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.Refund(As(Platform.Master), new RefundCommand(failed.Id), Key()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.Refund(As(Platform.Master), new RefundCommand("chg_other"), Key()))).Code);
    }
}
