namespace AdWallet.GatewaySimulator.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public async Task A_restart_on_the_same_file_keeps_keys_payments_cancels_and_undelivered_webhooks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // No webhook URL at first: the events of the first life wait in the outbox.
        await using var simulator = await TestSimulator.StartAsync();
        var billingKey = await simulator.RegisterAsync(TestCards.Good);
        var first = await simulator.PayAsync(new { orderId = "o-1", amount = 4000, method = "card", billingKey });
        var paymentKey = first.GetProperty("paymentKey").GetString();
        await TestSimulator.OkAsync(await simulator.PostAsync($"/v1/payments/{paymentKey}/cancel", new { cancelId = "c-1", amount = 1000, reason = "part" }));
        Assert.Equal(2, (await simulator.StatsAsync()).GetProperty("webhooksPending").GetInt64());

        await simulator.RestartAsync(s => s with { WebhookUrl = WebhookReceiver.Url, WebhookHandler = receiver.Handler });

        var second = await simulator.PayAsync(new { orderId = "o-2", amount = 6000, method = "card", billingKey });
        Assert.Equal("DONE", second.GetProperty("status").GetString());
        var again = Assert.Single(await simulator.ByOrderAsync("o-1"));
        Assert.Equal(paymentKey, again.GetProperty("paymentKey").GetString());
        Assert.Equal(1000, again.GetProperty("cancelledAmount").GetInt64());
        await TestSimulator.OkAsync(await simulator.PostAsync($"/v1/payments/{paymentKey}/cancel", new { cancelId = "c-1", amount = 1000, reason = "part" }));
        await receiver.WaitForAsync(3);
        Assert.Equal(
            ["o-1 payment.cancelled", "o-1 payment.captured", "o-2 payment.captured"],
            receiver.Accepted.Select(d => $"{d.OrderId} {d.Type}").Order());
    }
}
