using System.Net.Http.Headers;
using System.Text;

namespace AdWallet.GatewaySimulator.Tests;

public sealed class RequestCheckTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Basic d3Jvbmc6")] // "wrong:"
    [InlineData("Basic !!!")]
    [InlineData("Bearer test_secret")]
    public async Task A_call_without_the_right_secret_key_is_401(string? authorization)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new HttpClient { BaseAddress = simulator.Server.BaseAddress };
        if (authorization is not null)
            client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);

        var response = await client.PostAsync("/v1/payments", new StringContent("{}", Encoding.UTF8, "application/json"));

        await TestSimulator.AssertProblemAsync(response, 401, "unauthorized");
        await TestSimulator.AssertProblemAsync(await client.GetAsync("/v1/payments?orderId=o-1"), 401, "unauthorized");
    }

    [Theory]
    [InlineData("/v1/billing-keys", """{ "cardNumber": "4242424242424241", "expiry": "12/29" }""")]
    [InlineData("/v1/billing-keys", """{ "cardNumber": "4242424242424242", "expiry": "13/29" }""")]
    [InlineData("/v1/billing-keys", """{ "cardNumber": "4242 4242 4242 4242", "expiry": "12/29" }""")]
    [InlineData("/v1/billing-keys", """{ "expiry": "12/29" }""")]
    [InlineData("/v1/payments", """not json""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": "1000", "method": "card", "billingKey": "bk_x" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1.5, "method": "card", "billingKey": "bk_x" }""")]
    [InlineData("/v1/payments", """{ "orderId": "", "amount": 1000, "method": "phone" }""")]
    [InlineData("/v1/payments", """{ "amount": 1000, "method": "phone" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 0, "method": "phone" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 100000001, "method": "phone" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1000, "method": "cash" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1000, "method": "card" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1000, "method": "card", "billingKey": "bk_unknown" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1000, "method": "card", "payer": "x" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1000, "method": "card", "card": { "number": "4242424242424242", "expiry": "13/29" } }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1000, "method": "phone", "billingKey": "bk_x" }""")]
    [InlineData("/v1/payments", """{ "orderId": "o", "amount": 1000, "method": "phone", "metadata": { "n": 1 } }""")]
    [InlineData("/v1/payments/pay_x/cancel", """{ "reason": "r" }""")]
    [InlineData("/v1/payments/pay_x/cancel", """{ "cancelId": "c", "reason": "r", "amount": 0 }""")]
    [InlineData("/v1/payments/pay_x/cancel", """{ "cancelId": "c" }""")]
    public async Task A_malformed_body_is_400_invalid_request(string path, string body)
    {
        await using var simulator = await TestSimulator.StartAsync();

        await TestSimulator.AssertProblemAsync(await simulator.PostRawAsync(path, body), 400, "invalid_request");
    }

    [Theory]
    [InlineData("orderId=")]
    [InlineData("orderId=o&limit=5")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-13-01")]
    [InlineData("after=pay_unknown")]
    public async Task A_bad_look_up_parameter_is_400_invalid_request(string query)
    {
        await using var simulator = await TestSimulator.StartAsync();

        await TestSimulator.AssertProblemAsync(await simulator.Client.GetAsync($"/v1/payments?{query}"), 400, "invalid_request");
    }

    [Fact]
    public async Task The_admin_endpoints_are_404_when_admin_is_disabled()
    {
        await using var simulator = await TestSimulator.StartAsync(customize: s => s with { AdminEnabled = false });

        await TestSimulator.AssertProblemAsync(await simulator.Client.GetAsync("/admin/stats"), 404, "not_found");
        await TestSimulator.AssertProblemAsync(
            await simulator.PostRawAsync("/admin/faults/captures", """{ "faults": ["error_before_capture"] }"""), 404, "not_found");
    }

    [Fact]
    public async Task A_bad_admin_body_is_400_invalid_request()
    {
        await using var simulator = await TestSimulator.StartAsync();

        await TestSimulator.AssertProblemAsync(await simulator.PostRawAsync("/admin/faults/captures", """{ "faults": ["explode"] }"""), 400, "invalid_request");
        await TestSimulator.AssertProblemAsync(
            await simulator.Client.PutAsync("/admin/faults", new StringContent("""{ "latencyMs": -1 }""", Encoding.UTF8, "application/json")), 400, "invalid_request");
    }
}
