using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>A wallet restarted from its snapshots and items answers as before: replays, refunds, every charge and key.</summary>
public sealed class WalletRestartTests
{
    [Fact]
    public async Task Replays_and_refunds_work_from_a_snapshot_after_a_restart()
    {
        await using var platform = await Platform.StartAsync(b => b.Configure("JournaledState:SnapshotInterval", "1"));
        var wallet = await platform.NewWalletAsync();
        var first = await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key("snap-1"));
        await wallet.Charge(As(Platform.Master), CardCharge(20_000), Key("snap-2"));
        await wallet.Charge(As(Platform.Master), CardCharge(30_000), Key("snap-3"));

        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());
        var replay = await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key("snap-1"));
        var refund = await wallet.Refund(As(Platform.Master), new RefundCommand(first.Value.Id, 4_000), Key());

        Assert.True(replay.Replayed);
        Assert.Equal(first.Value, replay.Value);
        Assert.Equal(4_000, refund.Value.Amount);
        Assert.Equal(4_000, (await wallet.GetCharge(As(Platform.Master), first.Value.Id)).RefundedAmount);
        Assert.Equal(56_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(3, await platform.Gateway.CaptureCountAsync());
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    [Fact]
    public async Task A_wallet_with_many_charges_and_snapshots_restarts_with_every_charge_and_key()
    {
        await using var platform = await Platform.StartAsync(b => b.Configure("JournaledState:SnapshotInterval", "16"));
        var wallet = await platform.NewWalletAsync();
        var charges = new List<ChargeView>();
        for (var i = 0; i < 150; i++) charges.Add((await wallet.Charge(As(Platform.Master), CardCharge(1_000 + i), Key($"many-{i}"))).Value);
        await wallet.Refund(As(Platform.Master), new RefundCommand(charges[3].Id, 500), Key());

        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());

        var listed = new List<ChargeView>();
        string? cursor = null;
        do
        {
            var page = await wallet.ListCharges(As(Platform.Master), new PageRequest(100, cursor));
            listed.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(charges.Select(c => c.Id).Reverse(), listed.Select(c => c.Id));
        Assert.Equal(500, (await wallet.GetCharge(As(Platform.Master), charges[3].Id)).RefundedAmount);
        Assert.True((await wallet.Charge(As(Platform.Master), CardCharge(1_000), Key("many-0"))).Replayed);
        Assert.True((await wallet.Charge(As(Platform.Master), CardCharge(1_149), Key("many-149"))).Replayed);
        Assert.Equal(150 * 1_000 + 149 * 150 / 2 - 500, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(150, await platform.Gateway.CaptureCountAsync());
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }
}
