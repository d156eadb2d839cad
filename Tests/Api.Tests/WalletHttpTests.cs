using System.Net;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.Payments.Http;
using AdWallet.Silo;
using AdWallet.TestSupport;
using System.Text.Json;
using AdWallet.Grains.Payments;
using Microsoft.Extensions.DependencyInjection;

namespace AdWallet.Api.Tests;

/// <summary>Wallets, charges, refunds and the ledger through HTTP, against the real grains.</summary>
public sealed class WalletHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    private static string NewUser() => $"u_{Guid.NewGuid():N}";

    [Fact]
    public async Task A_personal_wallet_needs_a_verified_identity()
    {
        using var client = platform.CreateClientFor(NewUser());

        using var refused = await client.PostAsync("/v1/wallets", ApiCalls.Json("""{ "name": "Mine", "kind": "personal" }"""));
        await ProblemAssert.IsProblem(refused, HttpStatusCode.Forbidden, "identity_verification_required");

        await client.VerifyIdentity();
        using var created = await client.PostAsync("/v1/wallets", ApiCalls.Json("""{ "name": "Mine", "kind": "personal" }"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var wallet = await created.ReadJson();
        var id = wallet.GetProperty("id").GetString()!;
        Assert.StartsWith("wal_", id);
        Assert.Equal($"/v1/wallets/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("personal", wallet.GetProperty("kind").GetString());
        Assert.Equal(0, wallet.GetProperty("balance").GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Null, wallet.GetProperty("businessRegistrationNumber").ValueKind);
    }

    [Fact]
    public async Task Me_lists_the_callers_wallets_and_verification()
    {
        using var client = platform.CreateClientFor(NewUser());
        await client.VerifyIdentity();
        var walletId = await client.CreateBusinessWallet();

        var me = await (await client.GetAsync("/v1/me")).ReadJson();

        Assert.True(me.GetProperty("identityVerified").GetBoolean());
        Assert.Contains(me.GetProperty("wallets").EnumerateArray(), w => w.GetString() == walletId);
    }

    [Fact]
    public async Task A_wallet_is_invisible_to_others_and_members_cannot_rename_it()
    {
        var masterId = NewUser();
        var memberId = NewUser();
        using var master = platform.CreateClientFor(masterId);
        using var member = platform.CreateClientFor(memberId);
        using var stranger = platform.CreateClientFor(NewUser());
        var walletId = await master.CreateBusinessWallet();

        await ProblemAssert.IsProblem(await stranger.GetAsync($"/v1/wallets/{walletId}"), HttpStatusCode.NotFound, "not_found");

        using var added = await master.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/members", $$"""{ "userId": "{{memberId}}" }""");
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains((await added.ReadJson()).GetProperty("memberIds").EnumerateArray(), m => m.GetString() == memberId);

        using var rename = await member.SendJson(HttpMethod.Patch, $"/v1/wallets/{walletId}", """{ "name": "Theirs" }""");
        await ProblemAssert.IsProblem(rename, HttpStatusCode.Forbidden, "forbidden");

        using var email = await member.SendJson(HttpMethod.Patch, $"/v1/wallets/{walletId}", """{ "taxInvoiceEmail": "books@example.com" }""");
        Assert.Equal(HttpStatusCode.OK, email.StatusCode);
        Assert.Equal("books@example.com", (await email.ReadJson()).GetProperty("taxInvoiceEmail").GetString());

        await ProblemAssert.IsProblem(await master.DeleteAsync($"/v1/wallets/{walletId}/members/{masterId}"), HttpStatusCode.Conflict, "cannot_remove_master");
        Assert.Equal(HttpStatusCode.NoContent, (await master.DeleteAsync($"/v1/wallets/{walletId}/members/{memberId}")).StatusCode);
        await ProblemAssert.IsProblem(await member.GetAsync($"/v1/wallets/{walletId}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_charge_succeeds_with_201_and_its_replay_answers_the_same_with_the_replay_header()
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        using var first = await client.Charge(walletId, 10_000, "charge-1");
        using var replay = await client.Charge(walletId, 10_000, "charge-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var charge = await first.ReadJson();
        Assert.Equal("succeeded", charge.GetProperty("status").GetString());
        Assert.Equal(10_000, charge.GetProperty("amount").GetInt64());
        Assert.Equal("card", charge.GetProperty("method").GetString());
        Assert.Equal(10_000, charge.GetProperty("balance").GetProperty("total").GetInt64());
        Assert.Equal($"/v1/wallets/{walletId}/charges/{charge.GetProperty("id").GetString()}", first.Headers.Location?.OriginalString);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(10_000, (await client.Wallet(walletId)).GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_replay_is_recognised_whatever_the_bodys_key_order_and_spacing()
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        using var first = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges",
            """{ "amount": 5000, "method": "phone", "termsAccepted": true }""", "k");
        using var replay = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges",
            """{"termsAccepted":true,"method":"phone","amount":5000,"note":"ignored"}""", "k");

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422()
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        using var first = await client.Charge(walletId, 10_000, "charge-1");
        using var reused = await client.Charge(walletId, 20_000, "charge-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ProblemAssert.IsProblem(reused, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(10_000, (await client.Wallet(walletId)).GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData(TestCards.Declined, "card_declined")]
    [InlineData(TestCards.InsufficientFunds, "insufficient_funds")]
    [InlineData(TestCards.Expired, "expired_card")]
    [InlineData(TestCards.ProcessingError, "processing_error")]
    public async Task A_declined_charge_is_402_with_the_charge_and_its_code(string card, string code)
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        using var declined = await client.Charge(walletId, 10_000, "declined", card);
        using var replay = await client.Charge(walletId, 10_000, "declined", card);

        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Equal("application/json", declined.Content.Headers.ContentType?.MediaType);
        var charge = await declined.ReadJson();
        Assert.Equal("failed", charge.GetProperty("status").GetString());
        Assert.Equal(code, charge.GetProperty("code").GetString());
        Assert.Equal(0, charge.GetProperty("balance").GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.PaymentRequired, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));

        var charges = await (await client.GetAsync($"/v1/wallets/{walletId}/charges")).ReadJson();
        Assert.Equal("failed", charges.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_charge_the_gateway_did_not_confirm_is_202_pending()
    {
        var gateway = platform.Services.GetRequiredService<EmbeddedPaymentGateway>().Simulator.Faults;
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        // Captured, then a failure for the first attempt and each retry: the platform cannot tell what happened.
        gateway.EnqueueCaptures(Enumerable.Repeat(CaptureFault.ErrorAfterCapture, 1 + PaymentGatewayOptions.DefaultMaxRetries));
        using var pending = await client.Charge(walletId, 10_000, "pending");

        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        var charge = await pending.ReadJson();
        Assert.Equal("pending", charge.GetProperty("status").GetString());
        Assert.Equal("payment_pending", charge.GetProperty("code").GetString());

        // The replay asks the gateway again, finds the capture and answers what the charge is now.
        using var replay = await client.Charge(walletId, 10_000, "pending");
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(10_000, (await client.Wallet(walletId)).GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Payment_intervals_below_the_minimum_reminder_period_do_not_fail_a_charge()
    {
        // The start-up check accepts these; the wallet's reminders run at the minimum period instead.
        await using var shortIntervals = EmbeddedPlatform.WithSettings(
            ("Reminders:MinimumPeriod", "00:05:00"), ("Payments:ReconciliationInterval", "00:00:10"), ("AutoPay:RetryInterval", "00:00:10"));
        using var client = shortIntervals.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        using var charged = await client.Charge(walletId, 10_000, "short-intervals");

        Assert.Equal(HttpStatusCode.Created, charged.StatusCode);
        Assert.Equal("succeeded", (await charged.ReadJson()).GetProperty("status").GetString());
        Assert.Equal(10_000, (await client.Wallet(walletId)).GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Terms_not_accepted_is_422()
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        using var response = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges",
            """{ "amount": 5000, "method": "phone", "termsAccepted": false }""", "k");

        await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity, "terms_not_accepted");
    }

    [Fact]
    public async Task A_stranger_cannot_charge_a_wallet()
    {
        using var master = platform.CreateClientFor(NewUser());
        using var stranger = platform.CreateClientFor(NewUser());
        var walletId = await master.CreateBusinessWallet();

        await ProblemAssert.IsProblem(await stranger.Charge(walletId, 10_000, "k"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Refunds_return_unused_paid_cash_once()
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();
        var chargeId = (await (await client.Charge(walletId, 10_000, "c")).ReadJson()).GetProperty("id").GetString();

        using var refund = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/refunds", $$"""{ "chargeId": "{{chargeId}}", "amount": 4000 }""", "r1");
        using var replay = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/refunds", $$"""{ "chargeId": "{{chargeId}}", "amount": 4000 }""", "r1");
        using var tooMuch = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/refunds", $$"""{ "chargeId": "{{chargeId}}", "amount": 7000 }""", "r2");

        Assert.Equal(HttpStatusCode.Created, refund.StatusCode);
        var body = await refund.ReadJson();
        Assert.Equal(4000, body.GetProperty("amount").GetInt64());
        Assert.Equal(chargeId, body.GetProperty("chargeId").GetString());
        Assert.Equal(6000, body.GetProperty("balance").GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await refund.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblem(tooMuch, HttpStatusCode.Conflict, "refund_exceeds_available");

        var charge = await (await client.GetAsync($"/v1/wallets/{walletId}/charges/{chargeId}")).ReadJson();
        Assert.Equal(4000, charge.GetProperty("refundedAmount").GetInt64());
    }

    [Fact]
    public async Task The_ledger_adds_up_to_the_balance_and_pages_newest_first()
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();
        foreach (var (amount, key) in new[] { (1000L, "a"), (2000L, "b"), (3000L, "c") })
            Assert.Equal(HttpStatusCode.Created, (await client.Charge(walletId, amount, key)).StatusCode);

        var firstPage = await (await client.GetAsync($"/v1/wallets/{walletId}/transactions?limit=2")).ReadJson();
        var cursor = firstPage.GetProperty("nextCursor").GetString();
        var secondPage = await (await client.GetAsync($"/v1/wallets/{walletId}/transactions?limit=2&cursor={Uri.EscapeDataString(cursor!)}")).ReadJson();
        var refunds = await (await client.GetAsync($"/v1/wallets/{walletId}/transactions?kind=refund")).ReadJson();

        var amounts = firstPage.GetProperty("items").EnumerateArray().Concat(secondPage.GetProperty("items").EnumerateArray())
            .Select(e => e.GetProperty("amount").GetInt64()).ToArray();
        Assert.Equal([3000, 2000, 1000], amounts);
        Assert.Equal(JsonValueKind.Null, secondPage.GetProperty("nextCursor").ValueKind);
        Assert.Equal(amounts.Sum(), (await client.Wallet(walletId)).GetProperty("balance").GetProperty("total").GetInt64());
        Assert.Empty(refunds.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Cards_and_auto_pay()
    {
        using var client = platform.CreateClientFor(NewUser());
        var walletId = await client.CreateBusinessWallet();

        using var check = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/cards", """{ "number": "4242424242424242", "expiry": "12/30", "kind": "check" }""");
        Assert.Equal(HttpStatusCode.Created, check.StatusCode);
        var card = await check.ReadJson();
        Assert.Equal("4242", card.GetProperty("last4").GetString());
        Assert.Equal("primary", card.GetProperty("role").GetString());

        await ProblemAssert.IsProblem(
            await client.SendJson(HttpMethod.Put, $"/v1/wallets/{walletId}/auto-pay", """{ "enabled": true }"""),
            HttpStatusCode.UnprocessableEntity, "credit_card_required");

        using var credit = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/cards", """{ "number": "4000000000000341", "expiry": "01/31", "kind": "credit" }""");
        var creditId = (await credit.ReadJson()).GetProperty("id").GetString();
        using var primary = await client.PostAsync($"/v1/wallets/{walletId}/cards/{creditId}/primary", null);
        Assert.Equal(HttpStatusCode.OK, primary.StatusCode);

        using var autoPay = await client.SendJson(HttpMethod.Put, $"/v1/wallets/{walletId}/auto-pay", """{ "enabled": true, "dailyLimit": 50000 }""");
        Assert.Equal(HttpStatusCode.OK, autoPay.StatusCode);
        var settings = (await autoPay.ReadJson()).GetProperty("autoPay");
        Assert.True(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(50_000, settings.GetProperty("dailyLimit").GetInt64());

        Assert.Equal(HttpStatusCode.Created, (await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/cards", """{ "number": "4242424242424242", "expiry": "12/30", "kind": "credit" }""")).StatusCode);
        await ProblemAssert.IsProblem(
            await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/cards", """{ "number": "4242424242424242", "expiry": "12/30", "kind": "credit" }"""),
            HttpStatusCode.Conflict, "card_limit");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/wallets/{walletId}/cards/{card.GetProperty("id").GetString()}")).StatusCode);
        var attempts = await (await client.GetAsync($"/v1/wallets/{walletId}/auto-pay/attempts")).ReadJson();
        Assert.Empty(attempts.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Operators_grant_free_cash_once_per_key()
    {
        using var client = platform.CreateClientFor(NewUser());
        using var operatorClient = platform.CreateClientFor("ops_root", isOperator: true);
        var walletId = await client.CreateBusinessWallet();
        var body = $$"""{ "amount": 3000, "expiresAt": "{{DateTimeOffset.UtcNow.AddDays(30):yyyy-MM-ddTHH:mm:ssZ}}" }""";

        using var grant = await operatorClient.SendJson(HttpMethod.Post, $"/v1/ops/wallets/{walletId}/free-cash", body, "grant-1");
        using var replay = await operatorClient.SendJson(HttpMethod.Post, $"/v1/ops/wallets/{walletId}/free-cash", body, "grant-1");

        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        Assert.Equal(3000, (await grant.ReadJson()).GetProperty("balance").GetProperty("free").GetInt64());
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3000, (await client.Wallet(walletId)).GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Free_cash_may_expire_months_ahead()
    {
        using var client = platform.CreateClientFor(NewUser());
        using var operatorClient = platform.CreateClientFor("ops_root", isOperator: true);
        var walletId = await client.CreateBusinessWallet();

        using var grant = await operatorClient.SendJson(HttpMethod.Post, $"/v1/ops/wallets/{walletId}/free-cash",
            $$"""{ "amount": 3000, "expiresAt": "{{DateTimeOffset.UtcNow.AddDays(90):yyyy-MM-ddTHH:mm:ssZ}}" }""", "grant-90-days");

        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
    }

    [Fact]
    public async Task Free_cash_expiring_in_the_past_is_refused_by_the_wallet()
    {
        using var client = platform.CreateClientFor(NewUser());
        using var operatorClient = platform.CreateClientFor("ops_root", isOperator: true);
        var walletId = await client.CreateBusinessWallet();

        using var response = await operatorClient.SendJson(HttpMethod.Post, $"/v1/ops/wallets/{walletId}/free-cash",
            """{ "amount": 3000, "expiresAt": "2001-01-01T00:00:00Z" }""", "grant-past");

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
    }
}
