using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.GatewaySimulator.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AdWallet.GatewaySimulator.Tests;

public sealed class WebhookTests
{
    [Fact]
    public async Task A_capture_and_a_cancel_are_delivered_signed_with_the_webhook_secret()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var simulator = await TestSimulator.StartAsync(receiver, s => s with { TimeProvider = clock });

        var payment = await simulator.PayAsync(TestSimulator.Card("o-1", 5000));
        var paymentKey = payment.GetProperty("paymentKey").GetString();
        await TestSimulator.OkAsync(await simulator.PostAsync($"/v1/payments/{paymentKey}/cancel", new { cancelId = "c-1", reason = "r" }));
        await receiver.WaitForAsync(2);

        foreach (var delivery in receiver.Accepted)
        {
            var key = Encoding.UTF8.GetBytes(TestSimulator.WebhookSecret);
            var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{delivery.Timestamp}.{delivery.Body}")));
            Assert.Equal(expected, delivery.Signature);
            Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), delivery.Timestamp);
            Assert.StartsWith("evt_", delivery.EventId);
            Assert.Equal(paymentKey, delivery.Event.GetProperty("data").GetProperty("paymentKey").GetString());
        }
        var cancelled = Assert.Single(receiver.Accepted, d => d.Type == "payment.cancelled");
        Assert.Equal("CANCELED", cancelled.Event.GetProperty("data").GetProperty("status").GetString());
        var captured = Assert.Single(receiver.Accepted, d => d.Type == "payment.captured");
        Assert.Equal("DONE", captured.Event.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_event_is_redelivered_until_the_receiver_answers_2xx()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 3;
        await using var simulator = await TestSimulator.StartAsync(receiver);

        await simulator.PayAsync(TestSimulator.Card("o-1"));
        await receiver.WaitForAsync(1);

        Assert.Equal(4, receiver.Attempts);
        Assert.Single(receiver.Accepted);
    }

    [Fact]
    public async Task Events_wait_until_a_webhook_url_is_set_at_run_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var simulator = await TestSimulator.StartAsync(customize: s => s with { WebhookHandler = receiver.Handler });
        await simulator.PayAsync(TestSimulator.Card("o-1"));
        Assert.Equal(1, (await simulator.StatsAsync()).GetProperty("webhooksPending").GetInt64());

        simulator.Server.Webhooks.SetUrl(WebhookReceiver.Url);

        await receiver.WaitForAsync(1);
        Assert.Equal("o-1", Assert.Single(receiver.Accepted).OrderId);
    }

    [Fact]
    public async Task The_duplicate_fault_delivers_each_event_twice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var simulator = await TestSimulator.StartAsync(receiver);
        await TestSimulator.OkAsync(await simulator.Client.PutAsJsonAsync("/admin/faults", new { duplicateWebhooks = true }));

        await simulator.PayAsync(TestSimulator.Card("o-1"));
        await receiver.WaitForAsync(2);

        Assert.Single(receiver.Accepted.Select(d => d.EventId).Distinct());
    }

    [Fact]
    public async Task The_drop_fault_settles_events_without_sending_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var simulator = await TestSimulator.StartAsync(receiver);
        simulator.Server.Faults.SetStanding(StandingFaults.None with { DropWebhooks = true });
        var settled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.Server.Services.GetRequiredService<WebhookOutbox>().Settled += eventId => settled.TrySetResult(eventId);

        await simulator.PayAsync(TestSimulator.Card("o-1"));
        await settled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, receiver.Attempts);
        var stats = await simulator.StatsAsync();
        Assert.Equal(0, stats.GetProperty("webhooksPending").GetInt64());
        Assert.Equal(1, stats.GetProperty("webhooksDelivered").GetInt64());
    }
}
