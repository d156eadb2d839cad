namespace AdWallet.GatewaySimulator.Tests;

public sealed class BillingKeyTests
{
    [Theory]
    [InlineData(TestCards.Good, "visa")]
    [InlineData(TestCards.InsufficientFunds, "visa")]
    [InlineData(TestCards.DeclinedAtPayment, "visa")]
    [InlineData(TestCards.OtherMastercard, "mastercard")]
    [InlineData(TestCards.OtherAmex, "amex")]
    [InlineData("6011111111111117", "card")]
    public async Task A_card_that_registers_answers_a_key_with_brand_and_last_four(string number, string brand)
    {
        await using var simulator = await TestSimulator.StartAsync();

        var answer = await TestSimulator.OkAsync(await simulator.PostAsync("/v1/billing-keys", new { cardNumber = number, expiry = "12/29" }));

        Assert.StartsWith("bk_", answer.GetProperty("billingKey").GetString());
        Assert.Equal(brand, answer.GetProperty("brand").GetString());
        Assert.Equal(number[^4..], answer.GetProperty("last4").GetString());
        Assert.Equal("12/29", answer.GetProperty("expiry").GetString());
        Assert.DoesNotContain(number, answer.GetRawText());
    }

    [Theory]
    [InlineData(TestCards.Declined, "card_declined")]
    [InlineData(TestCards.Expired, "expired_card")]
    [InlineData(TestCards.ProcessingError, "processing_error")]
    public async Task A_card_refused_at_registration_answers_422_with_its_code(string number, string code)
    {
        await using var simulator = await TestSimulator.StartAsync();

        var response = await simulator.PostAsync("/v1/billing-keys", new { cardNumber = number, expiry = "12/29" });

        await TestSimulator.AssertProblemAsync(response, 422, code);
    }

    [Theory]
    [InlineData(TestCards.Good, 200, null)]
    [InlineData(TestCards.InsufficientFunds, 422, "insufficient_funds")]
    [InlineData(TestCards.DeclinedAtPayment, 422, "card_declined")]
    [InlineData(TestCards.OtherMastercard, 200, null)]
    public async Task A_billing_key_pays_as_its_card_does(string number, int status, string? code)
    {
        await using var simulator = await TestSimulator.StartAsync();
        var billingKey = await simulator.RegisterAsync(number);

        var response = await simulator.PostAsync("/v1/payments", new { orderId = "o-1", amount = 5000, method = "card", billingKey });

        if (code is null)
        {
            var payment = await TestSimulator.OkAsync(response);
            Assert.Equal(number[^4..], payment.GetProperty("card").GetProperty("last4").GetString());
            Assert.Equal("DONE", payment.GetProperty("status").GetString());
        }
        else
        {
            await TestSimulator.AssertProblemAsync(response, status, code);
            Assert.Empty(await simulator.ByOrderAsync("o-1"));
        }
    }
}
