using System.Text.Json;

namespace AdWallet.GatewaySimulator.Tests;

public sealed class CancelTests
{
    [Fact]
    public async Task A_cancel_without_amount_cancels_the_rest()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var key = await PayAsync(simulator, 10_000);

        var payment = await CancelAsync(simulator, key, new { cancelId = "c-1", reason = "customer asked" });

        Assert.Equal("CANCELED", payment.GetProperty("status").GetString());
        Assert.Equal(10_000, payment.GetProperty("cancelledAmount").GetInt64());
        var cancel = Assert.Single(payment.GetProperty("cancels").EnumerateArray().ToArray());
        Assert.Equal("c-1", cancel.GetProperty("cancelId").GetString());
        Assert.Equal("customer asked", cancel.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Partial_cancels_add_up_and_the_same_cancel_id_does_not_cancel_twice()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var key = await PayAsync(simulator, 10_000);

        await CancelAsync(simulator, key, new { cancelId = "c-1", amount = 3000, reason = "part" });
        var again = await CancelAsync(simulator, key, new { cancelId = "c-1", amount = 3000, reason = "part" });
        Assert.Equal("PARTIAL_CANCELED", again.GetProperty("status").GetString());
        Assert.Equal(3000, again.GetProperty("cancelledAmount").GetInt64());

        var rest = await CancelAsync(simulator, key, new { cancelId = "c-2", reason = "rest" });
        Assert.Equal(10_000, rest.GetProperty("cancelledAmount").GetInt64());
        Assert.Equal(2, rest.GetProperty("cancels").GetArrayLength());
        Assert.Equal(2, (await simulator.StatsAsync()).GetProperty("cancels").GetInt64());
    }

    [Fact]
    public async Task More_than_is_left_is_refused_and_changes_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var key = await PayAsync(simulator, 10_000);
        await CancelAsync(simulator, key, new { cancelId = "c-1", amount = 6000, reason = "part" });

        var response = await simulator.PostAsync($"/v1/payments/{key}/cancel", new { cancelId = "c-2", amount = 5000, reason = "too much" });

        await TestSimulator.AssertProblemAsync(response, 422, "cancel_amount_exceeded");
        Assert.Equal(6000, (await simulator.ByOrderAsync("o-1"))[0].GetProperty("cancelledAmount").GetInt64());
        await CancelAsync(simulator, key, new { cancelId = "c-3", reason = "rest" });
        var nothingLeft = await simulator.PostAsync($"/v1/payments/{key}/cancel", new { cancelId = "c-4", reason = "nothing left" });
        await TestSimulator.AssertProblemAsync(nothingLeft, 422, "cancel_amount_exceeded");
    }

    [Fact]
    public async Task A_cancel_id_reused_with_another_amount_or_payment_is_a_conflict()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var key = await PayAsync(simulator, 10_000);
        var other = (await simulator.PayAsync(TestSimulator.Card("o-2"))).GetProperty("paymentKey").GetString();
        await CancelAsync(simulator, key, new { cancelId = "c-1", amount = 1000, reason = "part" });

        await TestSimulator.AssertProblemAsync(
            await simulator.PostAsync($"/v1/payments/{key}/cancel", new { cancelId = "c-1", amount = 2000, reason = "part" }), 409, "idempotency_conflict");
        await TestSimulator.AssertProblemAsync(
            await simulator.PostAsync($"/v1/payments/{other}/cancel", new { cancelId = "c-1", amount = 1000, reason = "part" }), 409, "idempotency_conflict");
    }

    [Fact]
    public async Task A_cancel_of_an_unknown_payment_is_404()
    {
        await using var simulator = await TestSimulator.StartAsync();

        var response = await simulator.PostAsync("/v1/payments/pay_nothing/cancel", new { cancelId = "c-1", reason = "why" });

        await TestSimulator.AssertProblemAsync(response, 404, "payment_not_found");
    }

    private static async Task<string> PayAsync(TestSimulator simulator, long amount) =>
        (await simulator.PayAsync(TestSimulator.Card("o-1", amount))).GetProperty("paymentKey").GetString()!;

    private static async Task<JsonElement> CancelAsync(TestSimulator simulator, string paymentKey, object body) =>
        await TestSimulator.OkAsync(await simulator.PostAsync($"/v1/payments/{paymentKey}/cancel", body));
}
