using AdWallet.Grains.Payments;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.TestSupport;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Payments the gateway captured but the wallet was not told about end credited exactly once.</summary>
public sealed class ReconciliationTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_capture_that_timed_out_is_credited_once_by_reconciliation()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        platform.Gateway.EnqueueFault(CaptureFault.ErrorAfterCapture);

        var pending = (await wallet.Charge(As(Platform.Master), CardCharge(50_000), Key("k"))).Value;
        Assert.Equal((ChargeStatus.Pending, ErrorCodes.PaymentPending), (pending.Status, pending.Code));
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);

        await AdvanceUntilSettledAsync(platform, wallet, pending.Id);

        Assert.Equal(50_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Single(await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet));
        var replay = await wallet.Charge(As(Platform.Master), CardCharge(50_000), Key("k"));
        Assert.Equal((ChargeStatus.Succeeded, true), (replay.Value.Status, replay.Replayed));
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task A_client_retry_after_a_timeout_settles_the_charge_at_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        platform.Gateway.EnqueueFault(CaptureFault.ErrorAfterCapture);
        await wallet.Charge(As(Platform.Master), CardCharge(20_000), Key("retry"));

        var retried = await wallet.Charge(As(Platform.Master), CardCharge(20_000), Key("retry"));

        Assert.Equal(ChargeStatus.Succeeded, retried.Value.Status);
        Assert.Equal(20_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task A_crash_between_capture_and_credit_ends_with_exactly_one_credit()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        platform.Gateway.EnqueueFault(CaptureFault.HoldAfterCapture);

        // The gateway captures, then the silo dies before the wallet hears back.
        var lost = wallet.Charge(As(Platform.Master), CardCharge(70_000), Key("crash"));
        await platform.Gateway.HoldStarted.WaitAsync(TimeSpan.FromSeconds(20));
        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());

        var chargeId = (await wallet.ListCharges(As(Platform.Master), new PageRequest())).Items.Single().Id;
        await AdvanceUntilSettledAsync(platform, wallet, chargeId);
        // The dead silo's request finally hears from the gateway; its stale activation cannot write.
        platform.Gateway.ReleaseHolds();
        await Assert.ThrowsAnyAsync<Exception>(() => lost);

        Assert.Equal(70_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Single(await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet));
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task A_duplicate_capture_is_refunded_and_never_credited()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        platform.Gateway.EnqueueFault(CaptureFault.DuplicateCapture);

        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(30_000), Key())).Value;
        Assert.Equal(2, await platform.Gateway.CaptureCountAsync());

        var reference = $"{wallet.GetPrimaryKeyString()}/{charge.Id}";
        Assert.Equal(0, await platform.Gateway.RefundedForAsync(reference));
        await platform.TickAsync(wallet, "reconcile", Interval);

        Assert.Equal(30_000, await platform.Gateway.RefundedForAsync(reference));
        Assert.Equal(30_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
        var notices = await platform.User(Platform.Member).ListNotifications(new PageRequest());
        Assert.Contains(notices.Items, n => n.Kind == "duplicate_payment_refunded");
    }

    [Fact]
    public async Task A_charge_the_gateway_never_captured_fails_after_the_grace_period()
    {
        await using var platform = await Platform.StartAsync(b => b.Configure("Payments:PendingGracePeriod", "00:03:00"));
        var wallet = await platform.NewWalletAsync();
        // Pay money never captures when the gateway is told to time out before capturing.
        platform.Gateway.EnqueueFault(CaptureFault.ErrorBeforeCapture);
        var pending = (await wallet.Charge(As(Platform.Master), new ChargeCommand(10_000, PaymentMethods.PayMoney, true), Key("never"))).Value;
        Assert.Equal(ChargeStatus.Pending, pending.Status);

        await platform.TickAsync(wallet, "reconcile", Interval);
        await platform.TickAsync(wallet, "reconcile", Interval);
        Assert.Equal(ChargeStatus.Pending, (await wallet.GetCharge(As(Platform.Master), pending.Id)).Status);
        await platform.TickAsync(wallet, "reconcile", Interval);

        var failed = await wallet.GetCharge(As(Platform.Master), pending.Id);
        Assert.Equal((ChargeStatus.Failed, ErrorCodes.ProcessingError), (failed.Status, failed.Code));
        Assert.Equal(0, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(0, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task An_interval_below_the_minimum_reminder_period_reconciles_every_minimum_period()
    {
        var minimum = TimeSpan.FromMinutes(5);
        await using var platform = await Platform.StartAsync(b => b
            .Configure("Reminders:MinimumReminderPeriod", "00:05:00")
            .Configure("Payments:ReconciliationInterval", "00:00:10"));
        var wallet = await platform.NewWalletAsync();

        // Every charge schedules reconciliation: neither the first nor a pending one fails for the short interval.
        var first = (await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key())).Value;
        Assert.Equal(ChargeStatus.Succeeded, first.Status);
        platform.Gateway.EnqueueFault(CaptureFault.ErrorAfterCapture);
        var pending = (await wallet.Charge(As(Platform.Master), CardCharge(50_000), Key())).Value;
        Assert.Equal(ChargeStatus.Pending, pending.Status);

        var reminder = await platform.ReminderAsync(wallet, "reconcile");
        Assert.NotNull(reminder);
        Assert.Equal((minimum, platform.Clock.GetUtcNow() + minimum), (reminder.Period, reminder.StartAt));

        await platform.TickAsync(wallet, "reconcile", minimum);

        Assert.Equal(ChargeStatus.Succeeded, (await wallet.GetCharge(As(Platform.Master), pending.Id)).Status);
        Assert.Equal(60_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
        Assert.Null(await platform.ReminderAsync(wallet, "reconcile"));
    }

    /// <summary>Lets reconciliation run, an interval at a time, until the charge is settled.</summary>
    private static async Task AdvanceUntilSettledAsync(Platform platform, IWalletGrain wallet, string chargeId)
    {
        for (var i = 0; i < 5; i++)
        {
            await platform.TickAsync(wallet, "reconcile", Interval);
            if ((await wallet.GetCharge(As(Platform.Master), chargeId)).Status != ChargeStatus.Pending) return;
        }
        Assert.Fail($"Charge {chargeId} was still pending after five reconciliation intervals.");
    }
}
