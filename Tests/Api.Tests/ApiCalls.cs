using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AdWallet.Api.Tests;

/// <summary>Small steps of the HTTP scenarios, for a client that already carries its token.</summary>
public static class ApiCalls
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJson(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static async Task<HttpResponseMessage> SendJson(this HttpClient client, HttpMethod method, string path, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = Json(json) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static async Task VerifyIdentity(this HttpClient client)
    {
        using var response = await client.PostAsync("/v1/me/identity-verification",
            Json("""{ "name": "Kim Minji", "birthDate": "1990-04-01", "phone": "+821012345678" }"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A business wallet (no identity verification needed); answers its id.</summary>
    public static async Task<string> CreateBusinessWallet(this HttpClient client, string name = "Shop")
    {
        using var response = await client.PostAsync("/v1/wallets",
            Json($$"""{ "name": "{{name}}", "kind": "business", "businessRegistrationNumber": "1234567890", "taxInvoiceEmail": "tax@example.com" }"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJson()).GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> Charge(this HttpClient client, string walletId, long amount, string key, string cardNumber = "4242424242424242") =>
        client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges",
            $$"""{ "amount": {{amount}}, "method": "card", "termsAccepted": true, "cardNumber": "{{cardNumber}}" }""", key);

    public static async Task<JsonElement> Wallet(this HttpClient client, string walletId)
    {
        using var response = await client.GetAsync($"/v1/wallets/{walletId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJson();
    }

    public static async Task<T> GetJson<T>(this HttpClient client, string path) => (await client.GetFromJsonAsync<T>(path))!;
}
