using AdWallet.Grains.Payments;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.TestSupport;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>
/// A top-up is stored once, after the gateway answers. These are the crashes that leaves a gap for: the payer was
/// charged and the wallet heard nothing. Each must end with the payment credited exactly once.
/// </summary>
public sealed class ChargeRecoveryTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_retry_after_a_crash_between_capture_and_credit_gets_that_charge_and_pays_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await CrashAfterCaptureAsync(platform, CardCharge(40_000), Key("lost"));

        var retried = await wallet.Charge(As(Platform.Master), CardCharge(40_000), Key("lost"));

        Assert.Equal(ChargeStatus.Succeeded, retried.Value.Status);
        Assert.Equal(40_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Single(await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet));
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task A_retry_after_such_a_crash_is_still_refused_for_another_request()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await CrashAfterCaptureAsync(platform, CardCharge(40_000), Key("lost", "first"));

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(As(Platform.Master), CardCharge(90_000), Key("lost", "second")));

        Assert.Equal(ErrorCodes.IdempotencyKeyReused, error.Code);
        Assert.Equal(40_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task A_retry_while_the_gateway_cannot_list_captures_charges_the_same_reference_and_credits_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await CrashAfterCaptureAsync(platform, CardCharge(25_000), Key("blind"), gatewayDownOnActivation: true);

        var retried = await wallet.Charge(As(Platform.Master), CardCharge(25_000), Key("blind"));
        await platform.TickAsync(wallet, "reconcile", Interval);

        Assert.Equal(ChargeStatus.Succeeded, retried.Value.Status);
        Assert.Equal(25_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Single(await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet));
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task A_lost_credit_the_activation_could_not_recover_is_credited_by_the_reminder()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await CrashAfterCaptureAsync(platform, CardCharge(60_000), Key(), gatewayDownOnActivation: true);
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);

        await platform.TickAsync(wallet, "reconcile", Interval);

        Assert.Equal(60_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        var charge = Assert.Single((await wallet.ListCharges(As(Platform.Master), new PageRequest())).Items);
        Assert.Equal((ChargeStatus.Succeeded, 60_000L), (charge.Status, charge.Amount));
        Assert.Single(await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet));
    }

    [Fact]
    public async Task A_lost_credit_survives_a_second_crash_and_is_credited_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await CrashAfterCaptureAsync(platform, CardCharge(15_000), Key());
        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());
        await platform.TickAsync(wallet, "reconcile", Interval);

        Assert.Equal(15_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Single(await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet));
    }

    [Fact]
    public async Task Reconciliation_reads_a_bounded_batch_of_captures_per_tick_and_goes_on_from_there()
    {
        await using var platform = await Platform.StartAsync(b => b.Configure("Payments:ReconciliationBatch", "4"));
        var wallet = await platform.NewWalletAsync();
        for (var i = 0; i < 9; i++) await wallet.Charge(As(Platform.Master), CardCharge(1_000), Key());
        platform.Gateway.EnqueueFault(CaptureFault.DuplicateCapture);
        var last = (await wallet.Charge(As(Platform.Master), CardCharge(1_000), Key())).Value;
        var reference = $"{wallet.GetPrimaryKeyString()}/{last.Id}";

        // Eleven captures, four per tick: the duplicate (the eleventh) is reached on the third tick.
        await platform.TickAsync(wallet, "reconcile", Interval);
        await platform.TickAsync(wallet, "reconcile", Interval);
        Assert.Equal(0, await platform.Gateway.RefundedForAsync(reference));
        await platform.TickAsync(wallet, "reconcile", Interval);

        Assert.Equal(1_000, await platform.Gateway.RefundedForAsync(reference));
        Assert.Equal(10_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_tick_while_a_charge_waits_for_the_gateway_leaves_its_capture_to_it_and_credits_once()
    {
        await using var platform = await Platform.StartAsync(b => b.ClientResponseTimeout = TimeSpan.FromSeconds(3));
        var wallet = await platform.NewWalletAsync();
        await wallet.Charge(As(Platform.Master), CardCharge(1_000), Key());
        platform.Gateway.EnqueueFault(CaptureFault.HoldAfterCapture);
        var waiting = wallet.Charge(As(Platform.Master), CardCharge(5_000), Key("waiting"));
        await platform.Gateway.HoldStarted.WaitAsync(TimeSpan.FromSeconds(20));

        await platform.TickAsync(wallet, "reconcile", Interval);
        Assert.Equal(1_000, (await wallet.Get(As(Platform.Master))).Balance.Total);

        // The gateway answers too late (the caller has given up: its response timeout runs on real time, so the
        // test waits for it before the gateway answers): the charge is left pending, and the next tick credits its capture.
        await Assert.ThrowsAsync<TimeoutException>(() => waiting);
        platform.Gateway.ReleaseHolds();
        await WaitForChargesAsync(wallet, 2);
        await platform.TickAsync(wallet, "reconcile", Interval);

        Assert.Equal(6_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(2, (await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet)).Count);
        Assert.Equal(2, await platform.Gateway.CaptureCountAsync());
    }

    private static async Task WaitForChargesAsync(IWalletGrain wallet, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await wallet.ListCharges(As(Platform.Master), new PageRequest())).Items.Count == count) return;
            await Task.Delay(25);
        }
        Assert.Fail($"The wallet did not list {count} charges.");
    }

    /// <summary>
    /// Charges, lets the gateway capture, and kills the silo before the wallet hears back. With
    /// <paramref name="gatewayDownOnActivation"/>, the wallet's next activation finds the gateway unreachable, so it
    /// cannot look for lost credits then.
    /// </summary>
    private static async Task<IWalletGrain> CrashAfterCaptureAsync(Platform platform, ChargeCommand command, IdempotencyKey key, bool gatewayDownOnActivation = false)
    {
        var wallet = await platform.NewWalletAsync();
        platform.Gateway.EnqueueFault(CaptureFault.HoldAfterCapture);
        var lost = wallet.Charge(As(Platform.Master), command, key);
        await platform.Gateway.HoldStarted.WaitAsync(TimeSpan.FromSeconds(20));
        await platform.RestartAsync(graceful: false);
        platform.Gateway.ReleaseHolds();
        await Assert.ThrowsAnyAsync<Exception>(() => lost);
        var restarted = platform.Wallet(wallet.GetPrimaryKeyString());
        if (gatewayDownOnActivation)
        {
            await platform.Gateway.StopAsync();
            await restarted.Get(As(Platform.Master));
            await platform.Gateway.StartAgainAsync();
        }
        return restarted;
    }
}
