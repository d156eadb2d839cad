using System.Text.Json;
using System.Text.Json.Nodes;
using AdWallet.Grains.Wallets;
using Granary;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>
/// The wallet's snapshot leaves its charges out: they are stored as items, each rewritten only when it changed, so a
/// snapshot costs what changed since the last one. Snapshots that held the charges still read.
/// </summary>
public sealed class WalletSnapshotTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset At = new(2026, 11, 21, 9, 30, 15, 123, TimeSpan.Zero);

    /// <summary>A charge of a hot wallet as the previous version stored it as an item, with property names.</summary>
    private const string ChargeItemAsObject = """
        {"id":"chg_b3af0d39c7e5b313a489761e835a913d","ordinal":0,"amount":1000,"method":"pay_money","cardId":null,"reference":"","requestHash":"h","status":"succeeded","code":null,"captureId":"cap_1","createdAt":"2026-11-21T19:16:11.8588895+00:00","remaining":1000,"refunded":0,"duplicatesRefunded":0,"freeAfter":0,"paidAfter":1000}
        """;

    [Fact]
    public void Charges_read_back_exactly_from_the_snapshot_and_its_items()
    {
        var state = StateWithCharges();

        var read = RoundTrip(state);

        AssertSameCharges(state, read);
        Assert.Equal((state.Free, state.Paid, state.CaptureCredits), (read.Free, read.Paid, read.CaptureCredits));
    }

    [Fact]
    public void Only_the_charges_changed_since_the_last_snapshot_are_stored_again()
    {
        var state = StateWithCharges();
        Items(state);

        state.Apply(new ChargeFailed(At.AddSeconds(5), "chg_c", ErrorCodes.ProcessingError));
        state.Apply(Captured(At.AddSeconds(6), "chg_e", 2_000, state.Paid));

        Assert.Equal(["chg_c", "chg_e"], Items(state).Select(item => Charge(item).Id).Order());
        Assert.Empty(Items(state));
    }

    [Fact]
    public void Spending_paid_cash_stores_the_charges_it_used()
    {
        var state = StateWithCharges();
        Items(state);

        state.Apply(new SpendTaken(At.AddSeconds(7), "cmp_1", "acc_1", 1, new Posting(TransactionKinds.Use, -3_000, 0, -3_000, 0, state.Paid - 3_000, "cmp_1/1")));

        var changed = Charge(Assert.Single(Items(state)));
        Assert.Equal(("chg_a", 7_000L), (changed.Id, changed.Remaining));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_snapshot_that_held_the_charges_still_reads_and_stores_them_all_as_items_next(bool asObjects)
    {
        var state = StateWithCharges();
        var document = JsonSerializer.SerializeToNode(state, Json)!.AsObject();
        document["charges"] = asObjects
            ? JsonSerializer.SerializeToNode(state.Charges.ToDictionary(c => c.Id), Json)
            : JsonNode.Parse(ChargeTable(state));
        document["chargeOrder"] = JsonSerializer.SerializeToNode(ChargeIds(state), Json);

        var read = JsonSerializer.Deserialize<WalletState>(document.ToJsonString(), Json)!;

        AssertSameCharges(state, read);
        Assert.Equal(ChargeIds(state), Items(read).Select(item => Charge(item).Id));
    }

    [Fact]
    public void A_charge_item_reads_back_exactly()
    {
        var state = StateWithCharges();
        state.Apply(new ChargeStarted(At.AddTicks(1_234_567), "chg_f", 3_000, PaymentMethods.PayMoney, null, "wallet-1/chg_f", "master|charge|f", "hash-f"));
        state.Apply(new ChargeSucceeded(At.AddSeconds(5), "chg_c", "cap_c", new Posting(TransactionKinds.Charge, 7_000, 0, 7_000, state.Free, state.Paid + 7_000, "chg_c")));
        state.Apply(new DuplicateCaptureRefunded(At.AddSeconds(6), "chg_c", "cap_c2", 7_000));
        state.Apply(new RefundIssued(At.AddSeconds(7), "ref_1", "chg_c", 2_500, "master|refund|1", "hash-r",
            new Posting(TransactionKinds.Refund, -2_500, 0, -2_500, state.Free, state.Paid - 2_500, "ref_1")));
        var charges = state.Charges.ToArray();
        // Every kind of field value a charge has: nulls, both forms of reference, every status, times finer than a millisecond.
        Assert.Contains(charges, c => c is { CardId: null, Code: null, CaptureId: null, Status: ChargeStatus.Pending, Reference: "a reference of another form" });
        Assert.Contains(charges, c => c is { CardId: not null, Code: not null, Status: ChargeStatus.Failed, Reference: "w/chg_b" });
        Assert.Contains(charges, c => c is { Status: ChargeStatus.Succeeded, Reference: "", Remaining: > 0 });
        Assert.Contains(charges, c => c is { Refunded: > 0, DuplicatesRefunded: > 0, CaptureId: not null });
        Assert.Contains(charges, c => c.CreatedAt.UtcTicks % TimeSpan.TicksPerMillisecond != 0);

        var stored = StoredItems(state);

        Assert.Equal(charges.Length, stored.Length);
        foreach (var (key, data) in stored)
        {
            var read = ReadItem(data);
            var charge = charges[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal(JsonSerializer.Serialize(charge, Json), JsonSerializer.Serialize(read, Json));
            Assert.Equal(charge.CreatedAt.Offset, read.CreatedAt.Offset);
        }
    }

    [Fact]
    public void A_charge_item_stored_as_an_object_still_reads()
    {
        var state = new WalletState();
        state.Apply(Captured(At, "chg_1", 1_000, 0));
        state.Apply(Captured(At, "chg_2", 2_000, 1_000));
        var second = StoredItems(state).Single(item => item.Key == "0000000001").Value;

        var read = new WalletState();
        LoadItem(read, ChargeItemAsObject);
        LoadItem(read, second);

        Assert.Equal(["chg_b3af0d39c7e5b313a489761e835a913d", "chg_2"], ChargeIds(read));
        Assert.Equal(ChargeItemAsObject, JsonSerializer.Serialize(read.Charges[0], Json));
        Assert.Equal(JsonSerializer.Serialize(state.Charges["chg_2"], Json), JsonSerializer.Serialize(read.Charges["chg_2"], Json));
    }

    [Fact]
    public void A_charge_item_is_much_smaller_than_the_charge_as_an_object()
    {
        var charge = JsonSerializer.Deserialize<ChargeRecord>(ChargeItemAsObject, Json)!;

        var item = JsonSerializer.Serialize(new ChargeItem(charge), Json);

        Assert.InRange(item.Length, 1, 140);
        Assert.True(item.Length * 2 < ChargeItemAsObject.Length, $"{item.Length} bytes as an item, {ChargeItemAsObject.Length} as an object: {item}");
        Assert.Equal(ChargeItemAsObject, JsonSerializer.Serialize(ReadItem(item), Json));
    }

    [Fact]
    public void The_snapshot_does_not_grow_with_the_charges()
    {
        var state = new WalletState();
        state.Apply(new WalletCreated(At, "Ads", WalletKinds.Business, "master", "1234567890", null));
        state.Apply(Captured(At, "chg_first", 1_000, 0));
        var small = JsonSerializer.Serialize(state, Json).Length;

        for (var i = 0; i < 100_000; i++) state.Apply(Captured(At, $"chg_{i:x32}", 1_000, state.Paid, $"cap_{1_000_000 + i}"));

        Assert.InRange(JsonSerializer.Serialize(state, Json).Length, small, small + 32);
        Assert.Equal(100_001, Items(state).Count);
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
        Assert.Equal(150, platform.Gateway.CaptureCount);
        await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
    }

    /// <summary>What a snapshot stores: the state, then its changed items, read back as JournaledState reads them.</summary>
    private static WalletState RoundTrip(WalletState state)
    {
        var items = StoredItems(state).OrderBy(item => item.Key, StringComparer.Ordinal).ToArray();
        var read = JsonSerializer.Deserialize<WalletState>(JsonSerializer.Serialize(state, Json), Json)!;
        foreach (var (_, data) in items) LoadItem(read, data);
        return read;
    }

    /// <summary>The changed items as JournaledState serializes them, as the state's item type.</summary>
    private static KeyValuePair<string, string>[] StoredItems(WalletState state) =>
        [.. Items(state).Select(item => KeyValuePair.Create(item.Key, JsonSerializer.Serialize(item.Value, ItemType(state), Json)))];

    private static void LoadItem(WalletState state, string data) =>
        ((IItemizedProjection)state).LoadItem(JsonSerializer.Deserialize(data, ItemType(state), Json)!);

    private static Type ItemType(WalletState state) => ((IItemizedProjection)state).ItemType;

    private static ChargeRecord ReadItem(string data) => ((ChargeItem)JsonSerializer.Deserialize(data, typeof(ChargeItem), Json)!).Charge;

    private static IReadOnlyList<KeyValuePair<string, object>> Items(WalletState state) => ((IItemizedProjection)state).TakeChangedItems();

    private static ChargeRecord Charge(KeyValuePair<string, object> item) => ((ChargeItem)item.Value).Charge;

    /// <summary>The charges in the compact form of ChargeTableJsonConverter, as a snapshot of that form held them.</summary>
    private static string ChargeTable(WalletState state) => JsonSerializer.Serialize(
        state.Charges.Select(c => new object?[]
        {
            c.Id, c.Amount, c.Method, c.CardId, c.Reference.EndsWith("/" + c.Id, StringComparison.Ordinal) ? c.Reference[..^c.Id.Length] : c.Reference,
            c.RequestHash, c.Status, c.Code, c.CaptureId, c.CreatedAt.UtcTicks, c.Remaining, c.Refunded, c.DuplicatesRefunded, c.FreeAfter, c.PaidAfter,
        }), Json);

    private static void AssertSameCharges(WalletState expected, WalletState actual)
    {
        Assert.Equal(ChargeIds(expected), ChargeIds(actual));
        foreach (var charge in expected.Charges)
            Assert.Equal(JsonSerializer.Serialize(charge, Json), JsonSerializer.Serialize(actual.Charges[charge.Id], Json));
    }

    private static string[] ChargeIds(WalletState state) => [.. state.Charges.Select(charge => charge.Id)];

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
        new(at, chargeId, amount, PaymentMethods.PayMoney, null, "hash", captureId ?? $"cap_{chargeId}",
            new Posting(TransactionKinds.Charge, amount, 0, amount, 0, paidBefore + amount, chargeId));
}
