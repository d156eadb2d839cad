using System.Net.Http.Json;
using AdWallet.GatewaySimulator.Faults;

namespace AdWallet.GatewaySimulator.Tests;

public sealed class CaptureFaultTests
{
    [Fact]
    public async Task Error_before_capture_answers_500_and_captures_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await QueueAsync(simulator, "error_before_capture");

        await TestSimulator.AssertProblemAsync(await simulator.PostAsync("/v1/payments", TestSimulator.Card("o-1")), 500, "internal_error");

        Assert.Empty(await simulator.ByOrderAsync("o-1"));
        await simulator.PayAsync(TestSimulator.Card("o-1"));
        Assert.Single(await simulator.ByOrderAsync("o-1"));
    }

    [Fact]
    public async Task Error_after_capture_answers_500_but_the_retry_finds_the_payment()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await QueueAsync(simulator, "error_after_capture");

        await TestSimulator.AssertProblemAsync(await simulator.PostAsync("/v1/payments", TestSimulator.Card("o-1")), 500, "internal_error");

        var captured = Assert.Single(await simulator.ByOrderAsync("o-1"));
        var retry = await simulator.PayAsync(TestSimulator.Card("o-1"));
        Assert.Equal(captured.GetProperty("paymentKey").GetString(), retry.GetProperty("paymentKey").GetString());
    }

    [Fact]
    public async Task Answer_after_timeout_captures_and_holds_its_answer_while_the_client_gives_up()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var simulator = await TestSimulator.StartAsync(receiver);
        await TestSimulator.OkAsync(await simulator.Client.PutAsJsonAsync("/admin/faults", new { answerDelayMs = 60_000 }));
        await QueueAsync(simulator, "answer_after_timeout");
        using var giveUp = new CancellationTokenSource();

        var answer = simulator.Client.PostAsJsonAsync("/v1/payments", TestSimulator.Card("o-1"), giveUp.Token);
        // The capture's webhook proves the payment was taken while its answer waits.
        await receiver.WaitForAsync(1);
        Assert.False(answer.IsCompleted);
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer);
        Assert.Single(await simulator.ByOrderAsync("o-1"));
    }

    [Fact]
    public async Task Answer_after_timeout_answers_the_payment_after_the_delay()
    {
        await using var simulator = await TestSimulator.StartAsync();
        simulator.Server.Faults.SetStanding(StandingFaults.None with { AnswerDelayMs = 200 });
        simulator.Server.Faults.EnqueueCaptures(CaptureFault.AnswerAfterTimeout);

        var payment = await simulator.PayAsync(TestSimulator.Card("o-1"));

        Assert.Equal("DONE", payment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Hold_after_capture_holds_the_answer_until_released()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await QueueAsync(simulator, "hold_after_capture");

        var answer = simulator.PayAsync(TestSimulator.Card("o-1"));
        await simulator.Server.Faults.HoldStarted.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(answer.IsCompleted);
        var captured = Assert.Single(await simulator.ByOrderAsync("o-1"));
        Assert.Equal(1, (await simulator.StatsAsync()).GetProperty("held").GetInt32());
        Assert.True((await simulator.Client.PostAsync("/admin/holds/release", null)).IsSuccessStatusCode);
        var payment = await answer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(captured.GetProperty("paymentKey").GetString(), payment.GetProperty("paymentKey").GetString());
        Assert.Equal(0, simulator.Server.Faults.Held);
    }

    [Fact]
    public async Task Duplicate_capture_makes_two_payments_for_one_order_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var simulator = await TestSimulator.StartAsync(receiver);
        await QueueAsync(simulator, "duplicate_capture");

        var payment = await simulator.PayAsync(TestSimulator.Card("o-1"));

        var payments = await simulator.ByOrderAsync("o-1");
        Assert.Equal(2, payments.Length);
        Assert.Equal(payment.GetProperty("paymentKey").GetString(), payments[0].GetProperty("paymentKey").GetString());
        Assert.NotEqual(payments[0].GetProperty("paymentKey").GetString(), payments[1].GetProperty("paymentKey").GetString());
        await receiver.WaitForAsync(2);
    }

    [Fact]
    public async Task Queued_faults_are_taken_one_per_payment_request_in_order()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await QueueAsync(simulator, "error_before_capture", "error_after_capture");

        await TestSimulator.AssertProblemAsync(await simulator.PostAsync("/v1/payments", TestSimulator.Card("o-1")), 500, "internal_error");
        await TestSimulator.AssertProblemAsync(await simulator.PostAsync("/v1/payments", TestSimulator.Card("o-1")), 500, "internal_error");
        await simulator.PayAsync(TestSimulator.Card("o-1"));

        Assert.Single(await simulator.ByOrderAsync("o-1"));
        Assert.Equal(0, simulator.Server.Faults.QueuedCaptures);
    }

    private static async Task QueueAsync(TestSimulator simulator, params string[] faults)
    {
        var response = await simulator.PostAsync("/admin/faults/captures", new { faults });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
