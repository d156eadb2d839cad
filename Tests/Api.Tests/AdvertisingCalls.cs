using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AdWallet.Api.Tests;

/// <summary>Small steps of the ad account and campaign scenarios, for a client that already carries its token.</summary>
public static class AdvertisingCalls
{
    /// <summary>A Korean mobile number, unique per <paramref name="n"/>.</summary>
    public static string KoreanPhone(int n) => $"+8210{n:D8}";

    public static Task<HttpResponseMessage> PostAdAccount(this HttpClient client, string walletId, string name = "Brand") =>
        client.SendJson(HttpMethod.Post, "/v1/ad-accounts", $$"""{ "name": "{{name}}", "walletId": "{{walletId}}" }""");

    /// <summary>Creates an ad account on the wallet (201); answers its id.</summary>
    public static async Task<string> CreateAdAccount(this HttpClient client, string walletId, string name = "Brand") =>
        (await client.PostAdAccount(walletId, name).Expect(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    public static Task<HttpResponseMessage> Invite(this HttpClient master, string adAccountId, string userId) =>
        master.SendJson(HttpMethod.Post, $"/v1/ad-accounts/{adAccountId}/invitations", $$"""{ "userId": "{{userId}}" }""");

    public static Task<HttpResponseMessage> AcceptInvitation(this HttpClient invited, string adAccountId) =>
        invited.PostAsync($"/v1/ad-accounts/{adAccountId}/invitations/accept", null);

    public static Task<HttpResponseMessage> RejectInvitation(this HttpClient invited, string adAccountId) =>
        invited.PostAsync($"/v1/ad-accounts/{adAccountId}/invitations/reject", null);

    /// <summary>The master invites <paramref name="userId"/> and they accept, through their own client.</summary>
    public static async Task AddAdAccountMember(this HttpClient master, string adAccountId, string userId, HttpClient member)
    {
        await master.Invite(adAccountId, userId).Expect(HttpStatusCode.Created);
        await member.AcceptInvitation(adAccountId).Expect(HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> RequestAgencyRights(this HttpClient agency, string adAccountId) =>
        agency.PostAsync($"/v1/ad-accounts/{adAccountId}/agency-requests", null);

    public static Task<HttpResponseMessage> SetAdAccountStatus(this HttpClient client, string adAccountId, string status) =>
        client.SendJson(HttpMethod.Put, $"/v1/ad-accounts/{adAccountId}/status", $$"""{ "status": "{{status}}" }""");

    public static Task<JsonElement> AdAccount(this HttpClient client, string adAccountId) => client.GetOk($"/v1/ad-accounts/{adAccountId}");

    /// <summary>The body of a campaign: an emoticon campaign unless <paramref name="kind"/> says otherwise; the times only when given.</summary>
    public static string CampaignBody(long budget, long price, string kind = "emoticon", string name = "Spring emoticons",
        DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null, string? creativeId = null)
    {
        var optional = (startsAt is { } s ? $", \"startsAt\": \"{Iso(s)}\"" : "")
            + (endsAt is { } e ? $", \"endsAt\": \"{Iso(e)}\"" : "")
            + (creativeId is not null ? $", \"creativeId\": \"{creativeId}\"" : "");
        return $$"""{ "name": "{{name}}", "kind": "{{kind}}", "budget": {{budget}}, "pricePerParticipation": {{price}}{{optional}} }""";
    }

    /// <summary>ISO 8601 with its offset, to the second, as the API reads it.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static Task<HttpResponseMessage> PostCampaign(this HttpClient client, string adAccountId, string body) =>
        client.SendJson(HttpMethod.Post, $"/v1/ad-accounts/{adAccountId}/campaigns", body);

    /// <summary>Creates a campaign (201); answers it.</summary>
    public static Task<JsonElement> CreateCampaign(this HttpClient client, string adAccountId, string body) =>
        client.PostCampaign(adAccountId, body).Expect(HttpStatusCode.Created);

    public static Task<JsonElement> Campaign(this HttpClient client, string campaignId) => client.GetOk($"/v1/campaigns/{campaignId}");

    public static Task<HttpResponseMessage> Participate(this HttpClient client, string campaignId, string userId, string phone) =>
        client.SendJson(HttpMethod.Post, $"/v1/campaigns/{campaignId}/participations", $$"""{ "userId": "{{userId}}", "phone": "{{phone}}" }""");

    /// <summary>Every notification of the caller, newest first.</summary>
    public static Task<List<JsonElement>> Notifications(this HttpClient client) => client.GetAllPages("/v1/me/notifications");

    /// <summary>The caller's ad accounts, as <c>GET /v1/me</c> lists them.</summary>
    public static async Task<List<string>> MyAdAccounts(this HttpClient client) =>
        [.. (await client.GetOk("/v1/me")).GetProperty("adAccounts").EnumerateArray().Select(a => a.GetString()!)];

    public static string Text(this JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null! : element.GetProperty(property).GetString()!;

    public static long Number(this JsonElement element, string property) => element.GetProperty(property).GetInt64();

    public static List<string> Strings(this JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
}

/// <summary>
/// Waiting on the system clock, for the few things that happen on it (a campaign's settlement timer): a bounded poll
/// that awaits between looks, and fails with what it saw last.
/// </summary>
public static class Polling
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> Until<T>(Func<Task<T>> look, Func<T, bool> done, TimeSpan bound, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await look();
            if (done(seen)) return seen;
            if (clock.Elapsed > bound) Assert.Fail($"Waited {bound.TotalSeconds:0.#} s for {what}; last seen: {Describe(seen)}");
            await Task.Delay(Interval);
        }
    }

    private static string Describe<T>(T seen) => seen switch
    {
        IEnumerable<JsonElement> elements => "[" + string.Join(", ", elements.Select(e => e.GetRawText())) + "]",
        _ => seen?.ToString() ?? "null",
    };
}

/// <summary>A user with a business wallet (charged unless told otherwise) and an ad account on it, of which they are master.</summary>
public sealed record Advertiser(HttpClient Client, string UserId, string WalletId, string AdAccountId) : IDisposable
{
    public static string NewUserId() => $"u_{Guid.NewGuid():N}";

    /// <param name="charge">What the wallet is charged before the account is created (0: nothing, so the account is OFF).</param>
    public static async Task<Advertiser> CreateAsync(EmbeddedPlatform platform, long charge = 10_000)
    {
        var userId = NewUserId();
        var client = platform.CreateClientFor(userId);
        var walletId = await client.CreateBusinessWallet();
        if (charge > 0) await client.ChargeOk(walletId, charge);
        var adAccountId = await client.CreateAdAccount(walletId);
        return new Advertiser(client, userId, walletId, adAccountId);
    }

    /// <summary>Creates a campaign in the account (201); answers its id.</summary>
    public async Task<string> CampaignOf(string body) => (await Client.CreateCampaign(AdAccountId, body)).GetProperty("id").GetString()!;

    public void Dispose() => Client.Dispose();
}
