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

    /// <summary>GET answering 200; its JSON body.</summary>
    public static async Task<JsonElement> GetOk(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Every item of a list endpoint, following <c>nextCursor</c> to the last page (newest first).</summary>
    public static async Task<List<JsonElement>> GetAllPages(this HttpClient client, string path, int limit = 200)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?') ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await client.GetOk(cursor is null
                ? $"{path}{separator}limit={limit}"
                : $"{path}{separator}limit={limit}&cursor={Uri.EscapeDataString(cursor)}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    /// <summary>Sends a request and asserts its status; the JSON body, if any.</summary>
    public static async Task<JsonElement> Expect(this Task<HttpResponseMessage> sending, HttpStatusCode status)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    public static async Task<string> CreateChannel(this HttpClient client, string name = "Cafe")
    {
        var channel = await client.SendJson(HttpMethod.Post, "/v1/channels", $$"""{ "name": "{{name}}" }""").Expect(HttpStatusCode.Created);
        return channel.GetProperty("id").GetString()!;
    }

    public static Task AddWalletMember(this HttpClient master, string walletId, string userId) =>
        master.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/members", $$"""{ "userId": "{{userId}}" }""").Expect(HttpStatusCode.OK);

    public static Task AddChannelAdmin(this HttpClient master, string channelId, string userId) =>
        master.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/admins", $$"""{ "userId": "{{userId}}" }""").Expect(HttpStatusCode.OK);

    public static Task ConnectWallet(this HttpClient channelMaster, string channelId, string walletId) =>
        channelMaster.SendJson(HttpMethod.Put, $"/v1/channels/{channelId}/wallet", $$"""{ "walletId": "{{walletId}}" }""").Expect(HttpStatusCode.OK);

    /// <summary>Registers a card; answers its id.</summary>
    public static async Task<string> AddCard(this HttpClient client, string walletId, string number = "4242424242424242", string kind = "credit")
    {
        var card = await client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/cards", $$"""{ "number": "{{number}}", "expiry": "12/39", "kind": "{{kind}}" }""")
            .Expect(HttpStatusCode.Created);
        return card.GetProperty("id").GetString()!;
    }

    /// <summary>A successful card charge; answers the charge's id.</summary>
    public static async Task<string> ChargeOk(this HttpClient client, string walletId, long amount, string? key = null) =>
        (await client.Charge(walletId, amount, key ?? Guid.NewGuid().ToString("N")).Expect(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    public static Task<HttpResponseMessage> Refund(this HttpClient client, string walletId, string chargeId, long? amount, string key) =>
        client.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/refunds",
            amount is null ? $$"""{ "chargeId": "{{chargeId}}" }""" : $$"""{ "chargeId": "{{chargeId}}", "amount": {{amount}} }""", key);

    /// <summary>The body of a free-cash grant expiring <paramref name="days"/> days from now, to the second.</summary>
    public static string FreeCashBody(long amount, int days = 30) =>
        $$"""{ "amount": {{amount}}, "expiresAt": "{{DateTimeOffset.UtcNow.AddDays(days):yyyy-MM-ddTHH:mm:ssZ}}" }""";

    public static Task<HttpResponseMessage> GrantFreeCash(this HttpClient operatorClient, string walletId, string body, string key) =>
        operatorClient.SendJson(HttpMethod.Post, $"/v1/ops/wallets/{walletId}/free-cash", body, key);

    public static async Task<JsonElement> Balance(this HttpClient client, string walletId) => (await client.Wallet(walletId)).GetProperty("balance");
}
