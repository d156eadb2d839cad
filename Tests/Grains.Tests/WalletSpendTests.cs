using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Campaign spend settling to the wallet: free cash first, then paid cash, then a negative balance.</summary>
public sealed class WalletSpendTests
{
    private const string Account = "acc_spend";

    [Fact]
    public async Task Spend_takes_free_cash_first_then_paid_then_goes_negative()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key());
        await wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(3_000, platform.Clock.GetUtcNow().AddDays(1)), Key());
        await wallet.AttachAdAccount(As(Platform.Master), Account);

        var first = await wallet.SettleSpend(new SpendSettlement("cmp_1", Account, 1, 5_000));
        var second = await wallet.SettleSpend(new SpendSettlement("cmp_1", Account, 2, 10_000));

        Assert.Equal(new BalanceView(0, 8_000, 8_000), first.Balance);
        Assert.Equal(new BalanceView(0, -2_000, -2_000), second.Balance);
        var uses = await wallet.ListTransactions(As(Platform.Master), TransactionKinds.Use, new PageRequest());
        Assert.Equal([(-10_000L, 0L, -10_000L), (-5_000L, -3_000L, -2_000L)], uses.Items.Select(t => (t.Amount, t.Free, t.Paid)));
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_settlement_retried_with_its_sequence_is_taken_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key());
        await wallet.AttachAdAccount(As(Platform.Master), Account);

        var first = await wallet.SettleSpend(new SpendSettlement("cmp_1", Account, 1, 4_000));
        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());
        var retried = await wallet.SettleSpend(new SpendSettlement("cmp_1", Account, 1, 4_000));
        var other = await wallet.SettleSpend(new SpendSettlement("cmp_2", Account, 1, 1_000));

        Assert.False(first.Replayed);
        Assert.True(retried.Replayed);
        Assert.False(other.Replayed);
        Assert.Equal(5_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(2, (await wallet.ListTransactions(As(Platform.Master), TransactionKinds.Use, new PageRequest())).Items.Count);
    }

    [Fact]
    public async Task Only_an_attached_account_settles_spend()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.SettleSpend(new SpendSettlement("cmp_x", "acc_unknown", 1, 1_000)));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.AttachAdAccount(As(Platform.Outsider), "acc_x"))).Code);
    }

    [Fact]
    public async Task Without_auto_pay_the_accounts_are_off_while_the_balance_is_not_positive()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        Assert.Equal(new FundingStatus(false, OffReasons.InsufficientBalance), await wallet.AttachAdAccount(As(Platform.Member), Account));
        await wallet.Charge(As(Platform.Master), CardCharge(5_000), Key());
        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Member), Account));

        await wallet.SettleSpend(new SpendSettlement("cmp_1", Account, 1, 6_000));
        Assert.Equal(new FundingStatus(false, OffReasons.InsufficientBalance), await wallet.AttachAdAccount(As(Platform.Member), Account));

        // A charge pays the negative part first; the accounts spend again once money is there.
        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(3_000), Key())).Value;
        Assert.Equal(new BalanceView(0, 2_000, 2_000), charge.Balance);
        Assert.Equal(FundingStatus.Funded, await wallet.AttachAdAccount(As(Platform.Member), Account));
    }

    [Fact]
    public async Task The_part_of_a_charge_that_paid_off_a_negative_balance_is_not_refundable()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.AttachAdAccount(As(Platform.Master), Account);
        await wallet.SettleSpend(new SpendSettlement("cmp_1", Account, 1, 4_000));

        var blocked = await Assert.ThrowsAsync<DomainException>(async () =>
        {
            var earlier = (await wallet.Charge(As(Platform.Master), CardCharge(1_000), Key())).Value;
            await wallet.Refund(As(Platform.Master), new RefundCommand(earlier.Id), Key());
        });
        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key())).Value;
        var refund = (await wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id), Key())).Value;

        Assert.Equal(ErrorCodes.NegativeBalance, blocked.Code);
        Assert.Equal(7_000, refund.Amount);
        Assert.Equal(0, refund.Balance.Total);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }
}
