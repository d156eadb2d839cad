using System.Text.Json;
using AdWallet.Grains.Wallets;

namespace AdWallet.Grains.Tests;

public sealed class ChargeBookTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 9, 30, 0, TimeSpan.FromHours(9));

    [Fact]
    public void A_charge_reads_back_with_every_field_by_ordinal_and_by_id()
    {
        var book = new ChargeBook();
        var first = Charge(0, "chg_a", cardId: null, code: null, captureId: null);
        var second = Charge(1, "chg_b", cardId: "card_1", code: ErrorCodes.CardDeclined, captureId: "cap_9");
        book.Add(first);
        book.Add(second);

        Assert.Equal(2, book.Count);
        Assert.Equal(Json(first), Json(book[0]));
        Assert.Equal(Json(second), Json(book["chg_b"]));
        Assert.Equal(1, book["chg_b"].Ordinal);
        Assert.False(book.ContainsKey("chg_c"));
        Assert.False(book.TryGetValue("chg_c", out _));
        Assert.Equal(["chg_a", "chg_b"], book.Select(charge => charge.Id));
    }

    [Fact]
    public void What_the_book_hands_out_is_a_copy_until_it_is_updated()
    {
        var book = new ChargeBook();
        book.Add(Charge(0, "chg_a", cardId: null, code: null, captureId: null));

        var charge = book["chg_a"];
        charge.Remaining = 0;
        charge.Status = ChargeStatus.Succeeded;
        charge.CaptureId = "cap_1";
        Assert.Equal(5_000, book["chg_a"].Remaining);

        book.Update(charge);
        Assert.Equal(Json(charge), Json(book["chg_a"]));
    }

    [Fact]
    public void Charges_are_added_in_order_once_and_updated_in_place()
    {
        var book = new ChargeBook();
        book.Add(Charge(0, "chg_a", null, null, null));

        Assert.Throws<InvalidOperationException>(() => book.Add(Charge(2, "chg_b", null, null, null)));
        Assert.Throws<InvalidOperationException>(() => book.Add(Charge(1, "chg_a", null, null, null)));
        Assert.Throws<InvalidOperationException>(() => book.Update(Charge(0, "chg_b", null, null, null)));
        Assert.Throws<InvalidOperationException>(() => book.Update(Charge(1, "chg_a", null, null, null)));
        Assert.Throws<KeyNotFoundException>(() => book["chg_b"]);
        Assert.Single(book);
    }

    private static ChargeRecord Charge(int ordinal, string id, string? cardId, string? code, string? captureId) => new()
    {
        Id = id,
        Ordinal = ordinal,
        Amount = 5_000,
        Method = cardId is null ? PaymentMethods.PayMoney : PaymentMethods.Card,
        CardId = cardId,
        Reference = ordinal == 0 ? "" : "another/reference",
        RequestHash = new string('e', 64),
        Status = code is null ? ChargeStatus.Pending : ChargeStatus.Failed,
        Code = code,
        CaptureId = captureId,
        CreatedAt = At.AddTicks(ordinal + 1),
        Remaining = 5_000,
        Refunded = ordinal,
        DuplicatesRefunded = 2 * ordinal,
        FreeAfter = 100,
        PaidAfter = 5_000 * (ordinal + 1),
    };

    private static string Json(ChargeRecord charge) => JsonSerializer.Serialize(charge) + charge.CreatedAt.Offset;
}
