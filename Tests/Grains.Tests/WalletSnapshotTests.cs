using System.Text.Json;
using AdWallet.Grains.Wallets;
using Granary;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>The wallet's snapshot: its charges are stored compactly, read back exactly, and still read in the earlier form.</summary>
public sealed class WalletSnapshotTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset At = new(2026, 11, 21, 9, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void Charges_read_back_exactly_as_they_were_written()
    {
        var state = StateWithCharges();

        var read = JsonSerializer.Deserialize<WalletState>(JsonSerializer.Serialize(state, Json), Json)!;

        Assert.Equal(state.Charges.Keys, read.Charges.Keys);
        foreach (var (id, charge) in state.Charges)
            Assert.Equal(JsonSerializer.Serialize(charge, Json), JsonSerializer.Serialize(read.Charges[id], Json));
        Assert.Equal(state.ChargeOrder, read.ChargeOrder);
        Assert.Equal((state.Free, state.Paid, state.CaptureCredits), (read.Free, read.Paid, read.CaptureCredits));
    }

    [Fact]
    public void A_snapshot_with_charges_as_an_object_of_records_still_reads()
    {
        var state = StateWithCharges();
        var document = JsonSerializer.SerializeToNode(state, Json)!.AsObject();
        document["charges"] = JsonSerializer.SerializeToNode(state.Charges.ToDictionary(c => c.Key, c => c.Value), Json);
        document["chargeOrder"] = JsonSerializer.SerializeToNode(state.ChargeOrder, Json);

        var read = JsonSerializer.Deserialize<WalletState>(document.ToJsonString(), Json)!;

        Assert.Equal(state.ChargeOrder, read.ChargeOrder);
        foreach (var (id, charge) in state.Charges)
            Assert.Equal(JsonSerializer.Serialize(charge, Json), JsonSerializer.Serialize(read.Charges[id], Json));
    }

    [Fact]
    public void A_charge_costs_the_snapshot_well_under_200_bytes_and_its_id_is_written_once()
    {
        var state = new WalletState();
        state.Apply(new WalletCreated(At, "Ads", WalletKinds.Business, "master", "1234567890", null));
        var empty = JsonSerializer.Serialize(state, Json).Length;
        for (var i = 0; i < 1_000; i++) state.Apply(Captured(At, $"chg_{i:x32}", 1_000, state.Paid, $"cap_{1_000_000 + i}"));

        var perCharge = (JsonSerializer.Serialize(state, Json).Length - empty) / 1_000;

        Assert.InRange(perCharge, 1, 200);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(JsonSerializer.Serialize(state, Json), "chg_0{30}7b"));
    }

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
        Assert.Equal(3, platform.Gateway.CaptureCount);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    private static WalletState StateWithCharges()
    {
        var state = new WalletState();
        state.Apply(new WalletCreated(At, "Ads", WalletKinds.Business, "master", "1234567890", null));
        state.Apply(Captured(At, "chg_a", 10_000, 0));
        state.Apply(new ChargeStarted(At.AddSeconds(1), "chg_b", 5_000, PaymentMethods.Card, "card_1", "w/chg_b", "master|charge|b", "hash-b"));
        state.Apply(new ChargeFailed(At.AddSeconds(2), "chg_b", ErrorCodes.CardDeclined));
        state.Apply(new ChargeStarted(At.AddSeconds(3), "chg_c", 7_000, PaymentMethods.PayMoney, null, "w/chg_c", "master|charge|c", "hash-c"));
        state.Apply(new ChargeStarted(At.AddSeconds(4), "chg_d", 8_000, PaymentMethods.PayMoney, null, "a reference of another form", "master|charge|d", "hash-d"));
        return state;
    }

    private static ChargeCaptured Captured(DateTimeOffset at, string chargeId, long amount, long paidBefore, string? captureId = null) =>
        new(at, chargeId, amount, PaymentMethods.PayMoney, null, $"wal_x/{chargeId}", $"master|charge|{chargeId}", "hash", captureId ?? $"cap_{chargeId}",
            new Posting(TransactionKinds.Charge, amount, 0, amount, 0, paidBefore + amount, chargeId));
}
