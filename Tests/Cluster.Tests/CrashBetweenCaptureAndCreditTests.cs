using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// The gap a payment platform must close: the gateway (a process of its own) captured a charge, and the silo making it
/// was SIGKILLed before it credited the wallet. After the silo is restarted, the client's retry with the same key gets
/// the charge, credited once, and the gateway has one capture for its order id.
/// </summary>
public sealed class CrashBetweenCaptureAndCreditTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_silo_killed_after_the_capture_and_before_the_credit_credits_the_charge_once_after_restart()
    {
        await ClusterRun.RunAsync("cc", siloCount: 1, output.WriteLine, RunAsync);
    }

    private static async Task RunAsync(ProcessCluster cluster, string run)
    {
        var sender = new RetryingSender(Bound);
        using var client = cluster.ClientFor($"adv-{run}");
        var wallet = await sender.SendAsync(client, HttpMethod.Post, "/v1/wallets",
            """{ "name": "Shop", "kind": "business", "businessRegistrationNumber": "1234567890", "taxInvoiceEmail": "tax@example.com" }""")
            .Expect(HttpStatusCode.Created);
        var walletId = wallet.Text("id");
        const string charge = """{ "amount": 40000, "method": "card", "cardNumber": "4242424242424242", "termsAccepted": true }""";

        using var gateway = cluster.GatewayAdmin();
        (await gateway.PostAsJsonAsync("admin/faults/captures", new { faults = new[] { "hold_after_capture" } })).EnsureSuccessStatusCode();
        using var once = cluster.ClientFor($"adv-{run}");
        var lost = once.PostAsync($"/v1/wallets/{walletId}/charges", Json(charge, "crash-key"));
        await Waiting.Until(async () => (await gateway.GetFromJsonAsync<JsonElement>("admin/stats")).GetProperty("held").GetInt32(), held => held == 1,
            Bound, "the gateway to capture and hold its answer");

        var port = cluster.SiloPorts.Single();
        cluster.KillSilo(port);
        (await gateway.PostAsync("admin/holds/release", null)).EnsureSuccessStatusCode();
        try { (await lost).Dispose(); } catch (HttpRequestException) { } catch (TaskCanceledException) { }
        cluster.StartSilo(port);

        var retried = await sender.SendAsync(client, HttpMethod.Post, $"/v1/wallets/{walletId}/charges", charge, "crash-key").Expect(HttpStatusCode.Created);
        Assert.Equal("succeeded", retried.Text("status"));
        var payments = (await cluster.GatewayPaymentsAsync()).Where(p => p.Text("orderId").StartsWith($"{walletId}/", StringComparison.Ordinal)).ToList();
        Assert.Equal($"{walletId}/{retried.Text("id")}", Assert.Single(payments).Text("orderId"));
        var balance = (await sender.GetOk(client, $"/v1/wallets/{walletId}")).GetProperty("balance");
        Assert.Equal(40_000, balance.Number("total"));
        var entries = await sender.GetAllPages(client, $"/v1/wallets/{walletId}/transactions");
        Assert.Equal(40_000, Assert.Single(entries).Number("amount"));
    }

    private static StringContent Json(string body, string key)
    {
        var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        content.Headers.Add("Idempotency-Key", key);
        return content;
    }
}
