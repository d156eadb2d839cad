using System.Net;
using System.Text;
using System.Text.Json;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.Payments.Http;
using AdWallet.TestSupport;

namespace AdWallet.Api.Tests;

/// <summary>
/// The gateway as a service of its own, reached over HTTP: its webhooks, its outages and the operators'
/// reconciliation report. Each test ends with the ledger adding up, and the report finding the gateway's money and the
/// ledgers in agreement.
/// </summary>
public sealed class PaymentGatewayHttpTests
{
    private static string NewUser() => $"u_{Guid.NewGuid():N}";

    [Fact]
    public async Task A_charge_captured_but_unanswered_is_credited_once_by_the_gateways_webhook()
    {
        await using var world = await GatewayPlatform.StartAsync();
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        world.Gateway.EnqueueFault(CaptureFault.ErrorAfterCapture);
        using var pending = await client.Charge(walletId, 10_000, "lost-answer");
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);

        // No reconciliation tick and no retry: the webhook the gateway sends after capturing settles the charge.
        await Eventually.WaitUntilAsync(async () => (await client.Balance(walletId)).GetProperty("total").GetInt64() == 10_000, "the webhook's credit");
        Assert.Single(await world.Gateway.PaymentsAsync());
        Assert.Equal(10_000, (await LedgerInvariant.AssertAddsUp(client, walletId)).Total);
        await AssertReconciledAsync(world);
    }

    [Fact]
    public async Task A_webhook_that_overtakes_its_charges_lost_answer_settles_the_charge_once_the_request_gives_up()
    {
        await using var world = await GatewayPlatform.StartAsync(("Payments:AttemptTimeout", "00:00:01"), ("Payments:TotalTimeout", "00:00:02"));
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        // The gateway captures and sends its webhook at once, but holds its answer past the platform's timeout: the
        // webhook reaches the wallet while the charge is still under way, and the charge then ends pending.
        world.Gateway.EnqueueFault(CaptureFault.HoldAfterCapture);
        using var pending = await client.Charge(walletId, 10_000, "overtaken");
        world.Gateway.ReleaseHolds();
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);

        // No reconciliation tick and no retry: the webhook, held back until the request was done, settles the charge.
        await Eventually.WaitUntilAsync(async () => (await client.Balance(walletId)).GetProperty("total").GetInt64() == 10_000, "the webhook's credit");
        Assert.Single(await world.Gateway.PaymentsAsync());
        Assert.Equal(10_000, (await LedgerInvariant.AssertAddsUp(client, walletId)).Total);
        await AssertReconciledAsync(world);
    }

    [Fact]
    public async Task Webhooks_delivered_twice_late_or_out_of_order_leave_the_ledger_as_one_delivery_would()
    {
        await using var world = await GatewayPlatform.StartAsync();
        world.Gateway.Faults.SetStanding(world.Gateway.Faults.Standing with { DuplicateWebhooks = true });
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        // A duplicate capture: the wallet refunds the second one (a cancel webhook that may overtake its capture's).
        world.Gateway.EnqueueFault(CaptureFault.DuplicateCapture);
        var chargeId = await client.ChargeOk(walletId, 30_000);
        await Eventually.WaitUntilAsync(async () => (await world.Gateway.RefundedForAsync($"{walletId}/{chargeId}")) == 30_000, "the duplicate's refund");

        // Every webhook again, now that everything is settled: late, and in reverse order.
        var payments = await world.Gateway.PaymentsAsync($"{walletId}/{chargeId}");
        foreach (var payment in payments.Reverse())
        {
            foreach (var type in new[] { "payment.cancelled", "payment.captured" })
                Assert.Equal(HttpStatusCode.NoContent, (await SendWebhookAsync(world, type, payment)).StatusCode);
        }

        Assert.Equal(30_000, (await LedgerInvariant.AssertAddsUp(client, walletId)).Total);
        Assert.Equal(2, payments.Count);
        await AssertReconciledAsync(world);
    }

    [Fact]
    public async Task A_webhook_with_a_bad_or_stale_signature_is_401_and_changes_nothing()
    {
        await using var world = await GatewayPlatform.StartAsync();
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();
        world.Gateway.EnqueueFault(CaptureFault.ErrorAfterCapture);
        world.Gateway.DropWebhooks();
        using var pending = await client.Charge(walletId, 10_000, "unsigned");
        var payment = Assert.Single(await world.Gateway.PaymentsAsync());

        using var wrongSecret = await SendWebhookAsync(world, "payment.captured", payment, secret: "not the secret");
        using var stale = await SendWebhookAsync(world, "payment.captured", payment, at: DateTimeOffset.UtcNow.AddMinutes(-10));
        using var unsigned = await world.Platform.CreateClient().PostAsync("/v1/payment-webhooks", ApiCalls.Json(Body("payment.captured", payment)));

        foreach (var refused in new[] { wrongSecret, stale, unsigned })
            await ProblemAssert.IsProblem(refused, HttpStatusCode.Unauthorized, "invalid_signature");
        Assert.Equal(0, (await client.Balance(walletId)).GetProperty("total").GetInt64());

        using var signed = await SendWebhookAsync(world, "payment.captured", payment);
        Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
        Assert.Equal(10_000, (await LedgerInvariant.AssertAddsUp(client, walletId)).Total);
    }

    [Fact]
    public async Task A_webhook_about_a_payment_no_wallet_made_is_acknowledged_and_changes_nothing()
    {
        await using var world = await GatewayPlatform.StartAsync();
        var unknown = new GatewayPayment("pay_unknown", "wal_nobody/chg_nothing", 5_000, 0, DateTimeOffset.UtcNow);
        var foreign = unknown with { OrderId = "order-from-another-shop" };

        Assert.Equal(HttpStatusCode.NoContent, (await SendWebhookAsync(world, "payment.captured", unknown)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendWebhookAsync(world, "payment.captured", foreign)).StatusCode);
        using var notJson = await SendRawWebhookAsync(world, "{ not json");
        await ProblemAssert.IsProblem(notJson, HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task An_unreachable_gateway_is_503_with_nothing_captured_and_a_retry_with_the_key_completes_the_charge()
    {
        await using var world = await GatewayPlatform.StartAsync();
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        await world.Gateway.StopAsync();
        using var refused = await client.Charge(walletId, 20_000, "while-down");
        await ProblemAssert.IsProblem(refused, HttpStatusCode.ServiceUnavailable, "payment_gateway_unavailable");
        Assert.Empty(await client.GetAllPages($"/v1/wallets/{walletId}/charges"));

        await world.Gateway.StartAgainAsync();
        Assert.Empty(await world.Gateway.PaymentsAsync());
        using var retried = await client.Charge(walletId, 20_000, "while-down");

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Single(await world.Gateway.PaymentsAsync());
        Assert.Equal(20_000, (await LedgerInvariant.AssertAddsUp(client, walletId)).Total);
        await AssertReconciledAsync(world);
    }

    [Fact]
    public async Task A_pending_charge_is_completed_by_a_retry_with_its_key_under_the_same_order_id()
    {
        await using var world = await GatewayPlatform.StartAsync();
        world.Gateway.DropWebhooks();
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        // The gateway failed before capturing: the platform cannot know that, so the charge is pending.
        world.Gateway.EnqueueFault(CaptureFault.ErrorBeforeCapture);
        using var pending = await client.Charge(walletId, 7_000, "try-again");
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.Empty(await world.Gateway.PaymentsAsync());

        using var retried = await client.Charge(walletId, 7_000, "try-again");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Single(await world.Gateway.PaymentsAsync());
        Assert.Equal(7_000, (await LedgerInvariant.AssertAddsUp(client, walletId)).Total);
    }

    [Fact]
    public async Task Under_every_capture_fault_with_concurrent_charges_and_refunds_the_report_finds_no_mismatch()
    {
        await using var world = await GatewayPlatform.StartAsync(("Payments:ReconciliationInterval", "00:00:01"), ("Reminders:MinimumReminderPeriod", "00:00:01"));
        world.Gateway.Faults.SetStanding(world.Gateway.Faults.Standing with { DuplicateWebhooks = true, LatencyMs = 5 });
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletIds = new[] { await client.CreateBusinessWallet(), await client.CreateBusinessWallet() };
        world.Gateway.Faults.EnqueueCaptures(
            CaptureFault.ErrorAfterCapture, CaptureFault.DuplicateCapture, CaptureFault.ErrorBeforeCapture,
            CaptureFault.DuplicateCapture, CaptureFault.ErrorAfterCapture, CaptureFault.ErrorBeforeCapture);

        // Each request is sent until it is answered, as a client does; a pending answer is asked again with its key.
        var charges = Enumerable.Range(0, 16).Select(i => ChargeUntilSettledAsync(client, walletIds[i % 2], 1_000 * (i + 1), $"charge-{i}"));
        var chargeIds = await Task.WhenAll(charges);
        var refunds = chargeIds.Where((_, i) => i % 3 == 0).Select((chargeId, i) =>
            client.Refund(walletIds[Array.IndexOf(chargeIds, chargeId) % 2], chargeId, 500, $"refund-{i}"));
        Assert.All(await Task.WhenAll(refunds), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var expected = Enumerable.Range(0, 16).Sum(i => 1_000L * (i + 1)) - 6 * 500;
        await Eventually.WaitUntilAsync(async () => (await ReportAsync(world)).GetProperty("mismatches").GetArrayLength() == 0, "a report with no mismatch");
        var total = 0L;
        foreach (var walletId in walletIds) total += (await LedgerInvariant.AssertAddsUp(client, walletId)).Total;
        Assert.Equal(expected, total);
        var gatewayNet = (await world.Gateway.PaymentsAsync()).Sum(p => p.Amount - p.CancelledAmount);
        Assert.Equal(expected, gatewayNet);
    }

    [Fact]
    public async Task The_report_lists_a_capture_no_ledger_credited()
    {
        await using var world = await GatewayPlatform.StartAsync();
        world.Gateway.DropWebhooks();
        using var client = world.Platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();
        await client.ChargeOk(walletId, 10_000);

        // A payment made at the gateway under this wallet's prefix by someone else: no charge of the wallet's.
        using var gateway = world.Gateway.Client();
        using var stray = await gateway.PostAsync("v1/payments", ApiCalls.Json($$"""{ "orderId": "{{walletId}}/chg_stray", "amount": 3000, "method": "phone" }"""));
        Assert.Equal(HttpStatusCode.OK, stray.StatusCode);

        var report = await ReportAsync(world);
        var wallet = Assert.Single(report.GetProperty("wallets").EnumerateArray());
        Assert.Equal((13_000, 10_000), (wallet.GetProperty("gatewayNet").GetInt64(), wallet.GetProperty("ledgerNet").GetInt64()));
        var mismatch = Assert.Single(report.GetProperty("mismatches").EnumerateArray());
        Assert.Equal(walletId, mismatch.GetProperty("walletId").GetString());
        Assert.Equal("chg_stray", Assert.Single(mismatch.GetProperty("chargeIds").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task The_report_is_for_operators_and_checks_its_range()
    {
        await using var world = await GatewayPlatform.StartAsync();
        using var user = world.Platform.CreateClientFor(NewUser());
        using var anonymous = world.Platform.CreateClient();
        using var operatorClient = world.Platform.CreateClientFor(NewUser(), isOperator: true);

        await ProblemAssert.IsProblem(await anonymous.GetAsync("/v1/ops/reconciliation"), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsProblem(await user.GetAsync("/v1/ops/reconciliation"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsValidationProblem(await operatorClient.GetAsync("/v1/ops/reconciliation?from=yesterday"), "from");
        await ProblemAssert.IsValidationProblem(await operatorClient.GetAsync("/v1/ops/reconciliation?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z"), "to");
        await ProblemAssert.IsValidationProblem(await operatorClient.GetAsync("/v1/ops/reconciliation?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z"), "to");
        var empty = await operatorClient.GetOk("/v1/ops/reconciliation?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00%2B09:00");
        Assert.Equal(0, empty.GetProperty("mismatches").GetArrayLength());
    }

    [Fact]
    public async Task A_registered_card_still_charges_after_the_platform_and_its_embedded_gateway_restart()
    {
        await using var restartable = new RestartablePlatform();
        var userId = NewUser();
        string walletId, cardId;
        using (var before = restartable.Current.CreateClientFor(userId))
        {
            walletId = await before.CreateBusinessWallet();
            cardId = await before.AddCard(walletId);
            await before.ChargeOk(walletId, 10_000);
        }

        // The API, its silo and the gateway simulator it runs all stop; the new ones start on the same files.
        var after = await restartable.RestartAsync();
        using var client = after.CreateClientFor(userId);
        using var charged = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges",
            $$"""{ "amount": 5000, "method": "card", "cardId": "{{cardId}}", "termsAccepted": true }""", "by-card-after-restart");

        Assert.Equal(HttpStatusCode.Created, charged.StatusCode);
        Assert.Equal(15_000, (await LedgerInvariant.AssertAddsUp(client, walletId)).Total);
        var report = await after.CreateClientFor(NewUser(), isOperator: true).GetOk("/v1/ops/reconciliation");
        Assert.Equal(0, report.GetProperty("mismatches").GetArrayLength());
        Assert.Equal(15_000, Assert.Single(report.GetProperty("wallets").EnumerateArray()).GetProperty("gatewayNet").GetInt64());
    }

    private static async Task<string> ChargeUntilSettledAsync(HttpClient client, string walletId, long amount, string key)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var answer = await client.Charge(walletId, amount, key);
            if (answer.StatusCode == HttpStatusCode.Created) return (await answer.ReadJson()).GetProperty("id").GetString()!;
            Assert.True(answer.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"charge {key}: {answer.StatusCode}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"Charge {key} did not settle.");
    }

    private static async Task AssertReconciledAsync(GatewayPlatform world)
    {
        var report = await ReportAsync(world);
        Assert.Equal(0, report.GetProperty("mismatches").GetArrayLength());
        Assert.NotEqual(0, report.GetProperty("wallets").GetArrayLength());
    }

    private static async Task<JsonElement> ReportAsync(GatewayPlatform world)
    {
        using var operatorClient = world.Platform.CreateClientFor(NewUser(), isOperator: true);
        return await operatorClient.GetOk("/v1/ops/reconciliation");
    }

    private static string Body(string type, GatewayPayment payment) => JsonSerializer.Serialize(new
    {
        eventId = $"evt_{Guid.NewGuid():N}",
        type,
        createdAt = DateTimeOffset.UtcNow,
        data = new { paymentKey = payment.PaymentKey, orderId = payment.OrderId, amount = payment.Amount, cancelledAmount = payment.CancelledAmount },
    });

    private static Task<HttpResponseMessage> SendWebhookAsync(GatewayPlatform world, string type, GatewayPayment payment, string? secret = null, DateTimeOffset? at = null) =>
        SendRawWebhookAsync(world, Body(type, payment), secret, at);

    private static async Task<HttpResponseMessage> SendRawWebhookAsync(GatewayPlatform world, string body, string? secret = null, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment-webhooks") { Content = ApiCalls.Json(body) };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret ?? TestGateway.WebhookSecret, timestamp, Encoding.UTF8.GetBytes(body)));
        using var http = world.Platform.CreateClient();
        return await http.SendAsync(request);
    }
}
