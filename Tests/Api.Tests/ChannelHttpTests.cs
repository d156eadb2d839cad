using System.Net;

namespace AdWallet.Api.Tests;

public sealed class ChannelHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    private static string NewUser() => $"u_{Guid.NewGuid():N}";

    [Fact]
    public async Task A_channel_master_adds_admins_connects_a_wallet_and_records_friends()
    {
        var masterId = NewUser();
        var adminId = NewUser();
        using var master = platform.CreateClientFor(masterId);
        using var admin = platform.CreateClientFor(adminId);
        using var stranger = platform.CreateClientFor(NewUser());

        using var created = await master.PostAsync("/v1/channels", ApiCalls.Json("""{ "name": "Cafe" }"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var channel = await created.ReadJson();
        var channelId = channel.GetProperty("id").GetString()!;
        Assert.StartsWith("chn_", channelId);
        Assert.Equal($"/v1/channels/{channelId}", created.Headers.Location?.OriginalString);
        Assert.Equal(masterId, channel.GetProperty("masterId").GetString());

        await ProblemAssert.IsProblem(await stranger.GetAsync($"/v1/channels/{channelId}"), HttpStatusCode.NotFound, "not_found");

        using var added = await master.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/admins", $$"""{ "userId": "{{adminId}}" }""");
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains((await added.ReadJson()).GetProperty("adminIds").EnumerateArray(), a => a.GetString() == adminId);

        var walletId = await master.CreateBusinessWallet();
        await ProblemAssert.IsProblem(
            await admin.SendJson(HttpMethod.Put, $"/v1/channels/{channelId}/wallet", $$"""{ "walletId": "{{walletId}}" }"""),
            HttpStatusCode.Forbidden, "forbidden");
        using var connected = await master.SendJson(HttpMethod.Put, $"/v1/channels/{channelId}/wallet", $$"""{ "walletId": "{{walletId}}" }""");
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.Equal(walletId, (await connected.ReadJson()).GetProperty("walletId").GetString());

        // A connected wallet lets the channel's admins charge it.
        Assert.Equal(HttpStatusCode.Created, (await admin.Charge(walletId, 10_000, "admin-charge")).StatusCode);

        using var friends = await admin.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friends", """{ "phones": ["+821011112222", "+821033334444", "+821011112222"] }""");
        Assert.Equal(HttpStatusCode.OK, friends.StatusCode);
        Assert.True((await friends.ReadJson()).GetProperty("friends").GetInt32() >= 2);

        using var fetched = await admin.GetAsync($"/v1/channels/{channelId}");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
    }
}
