using AdWallet.Grains.Payments;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.TestSupport;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>A silo dying in the middle of an auto-pay charge: the card is charged once, the wallet credited once.</summary>
public sealed class AutoPayRestartTests
{
    private const string Account = "acc_restart";

    [Fact]
    public async Task A_crash_after_the_auto_pay_capture_credits_the_charge_exactly_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.AddCard(As(Platform.Master), new AddCard(TestCards.Succeeding, "12/30", CardKinds.Credit));
        await wallet.SetAutoPay(As(Platform.Master), new AutoPaySettings(true));
        await wallet.AttachAdAccount(As(Platform.Master), Account);
        platform.Gateway.EnqueueFault(CaptureFault.HoldAfterCapture);

        // The spend reaches the threshold; auto-pay captures 500,000 and the silo dies before hearing back.
        var settling = wallet.SettleSpend(new SpendSettlement("cmp_restart", Account, 1, 500_000));
        await platform.Gateway.HoldStarted.WaitAsync(TimeSpan.FromSeconds(20));
        await platform.RestartAsync(graceful: false);
        await Assert.ThrowsAnyAsync<Exception>(() => settling);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());

        // The spend was stored before the charge began: a retried settlement is not taken twice.
        Assert.True((await wallet.SettleSpend(new SpendSettlement("cmp_restart", Account, 1, 500_000))).Replayed);
        await platform.TickAsync(wallet, "reconcile", TimeSpan.FromMinutes(1));
        platform.Gateway.ReleaseHolds();

        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
        var ledger = await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
        Assert.Equal([(TransactionKinds.Charge, 500_000L), (TransactionKinds.Use, -500_000L)], ledger.Select(t => (t.Kind, t.Amount)));
    }

    [Fact]
    public async Task A_graceful_restart_between_spend_and_midnight_charges_the_debt_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.AddCard(As(Platform.Master), new AddCard(TestCards.Succeeding, "12/30", CardKinds.Credit));
        await wallet.SetAutoPay(As(Platform.Master), new AutoPaySettings(true));
        await wallet.AttachAdAccount(As(Platform.Master), Account);
        await wallet.SettleSpend(new SpendSettlement("cmp_restart", Account, 1, 42_000));

        await platform.RestartAsync(graceful: true);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());
        await platform.TickAsync(wallet, "auto-pay-midnight", TimeSpan.FromHours(15));

        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
        Assert.Equal(42_000, Assert.Single((await wallet.ListAutoPayAttempts(As(Platform.Master), new PageRequest())).Items).Amount);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }
}
