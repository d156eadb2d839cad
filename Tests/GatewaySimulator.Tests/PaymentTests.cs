using System.Text.Json;

namespace AdWallet.GatewaySimulator.Tests;

public sealed class PaymentTests
{
    [Theory]
    [InlineData(TestCards.Good, null)]
    [InlineData(TestCards.Declined, "card_declined")]
    [InlineData(TestCards.InsufficientFunds, "insufficient_funds")]
    [InlineData(TestCards.Expired, "expired_card")]
    [InlineData(TestCards.DeclinedAtPayment, "card_declined")]
    [InlineData(TestCards.ProcessingError, "processing_error")]
    [InlineData(TestCards.OtherAmex, null)]
    public async Task A_one_time_card_pays_as_the_test_cards_say(string number, string? code)
    {
        await using var simulator = await TestSimulator.StartAsync();

        var response = await simulator.PostAsync("/v1/payments", TestSimulator.Card("o-1", 7000, number));

        if (code is null)
        {
            var payment = await TestSimulator.OkAsync(response);
            Assert.StartsWith("pay_", payment.GetProperty("paymentKey").GetString());
            Assert.Equal(7000, payment.GetProperty("amount").GetInt64());
            Assert.Equal(0, payment.GetProperty("cancelledAmount").GetInt64());
            Assert.Equal(number[^4..], payment.GetProperty("card").GetProperty("last4").GetString());
            Assert.Equal(0, payment.GetProperty("cancels").GetArrayLength());
        }
        else
        {
            await TestSimulator.AssertProblemAsync(response, 422, code);
            Assert.Empty(await simulator.ByOrderAsync("o-1"));
        }
    }

    [Theory]
    [InlineData("pay_money", "acct-1", null)]
    [InlineData("phone", "010-1234-5678", null)]
    [InlineData("gift_card", null, null)]
    [InlineData("pay_money", "acct-decline", "card_declined")]
    [InlineData("phone", "010-fail", "processing_error")]
    [InlineData("gift_card", "pin-decline", "card_declined")]
    public async Task Other_methods_answer_as_their_payer_says(string method, string? payer, string? code)
    {
        await using var simulator = await TestSimulator.StartAsync();

        var response = await simulator.PostAsync("/v1/payments", new { orderId = "o-1", amount = 3000, method, payer, metadata = new { wallet = "w1" } });

        if (code is null)
        {
            var payment = await TestSimulator.OkAsync(response);
            Assert.Equal(method, payment.GetProperty("method").GetString());
            Assert.Equal(JsonValueKind.Null, payment.GetProperty("card").ValueKind);
            Assert.Equal("w1", payment.GetProperty("metadata").GetProperty("wallet").GetString());
        }
        else
        {
            await TestSimulator.AssertProblemAsync(response, 422, code);
        }
    }

    [Fact]
    public async Task A_later_request_for_a_captured_order_answers_the_same_payment_whatever_its_body()
    {
        await using var simulator = await TestSimulator.StartAsync();

        var first = await simulator.PayAsync(TestSimulator.Card("o-1", 1000));
        var again = await simulator.PayAsync(TestSimulator.Card("o-1", 99_000, TestCards.OtherMastercard));

        Assert.Equal(first.GetProperty("paymentKey").GetString(), again.GetProperty("paymentKey").GetString());
        Assert.Equal(1000, again.GetProperty("amount").GetInt64());
        Assert.Single(await simulator.ByOrderAsync("o-1"));
    }

    [Fact]
    public async Task A_declined_request_stores_nothing_so_the_order_can_be_tried_again()
    {
        await using var simulator = await TestSimulator.StartAsync();

        await TestSimulator.AssertProblemAsync(await simulator.PostAsync("/v1/payments", TestSimulator.Card("o-1", 1000, TestCards.Declined)), 422, "card_declined");
        var payment = await simulator.PayAsync(TestSimulator.Card("o-1", 1000));

        Assert.Equal("DONE", payment.GetProperty("status").GetString());
        Assert.Single(await simulator.ByOrderAsync("o-1"));
    }

    [Fact]
    public async Task Twenty_concurrent_requests_for_one_order_capture_it_once()
    {
        await using var simulator = await TestSimulator.StartAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => simulator.PayAsync(TestSimulator.Card("o-concurrent", 2500))));

        Assert.Single(answers.Select(a => a.GetProperty("paymentKey").GetString()).Distinct());
        Assert.Single(await simulator.ByOrderAsync("o-concurrent"));
        Assert.Equal(1, (await simulator.StatsAsync()).GetProperty("payments").GetInt64());
    }
}
