using System.Net;

namespace AdWallet.Api.Tests;

/// <summary>Seed 001 over HTTP: channel types, <c>business_channel_required</c>, and no tax-invoice email on a personal wallet.</summary>
public sealed class ChannelTypeHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    private static string NewUser() => $"u_{Guid.NewGuid():N}";

    [Fact]
    public async Task A_channel_created_without_a_type_is_business_as_clients_of_the_first_contract_expect()
    {
        using var master = platform.CreateClientFor(NewUser());

        var untyped = await master.SendJson(HttpMethod.Post, "/v1/channels", """{ "name": "Cafe" }""").Expect(HttpStatusCode.Created);
        var general = await master.SendJson(HttpMethod.Post, "/v1/channels", """{ "name": "Club", "type": "general" }""").Expect(HttpStatusCode.Created);

        Assert.Equal("business", untyped.GetProperty("type").GetString());
        Assert.Equal("general", general.GetProperty("type").GetString());
        Assert.Equal("general", (await master.GetOk($"/v1/channels/{general.GetProperty("id").GetString()}")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_business_wallet_on_a_general_channel_is_409_business_channel_required_and_changes_nothing()
    {
        using var master = platform.CreateClientFor(NewUser());
        var channel = await master.SendJson(HttpMethod.Post, "/v1/channels", """{ "name": "Club", "type": "general" }""").Expect(HttpStatusCode.Created);
        var channelId = channel.GetProperty("id").GetString()!;
        var walletId = await master.CreateBusinessWallet();
        var before = await Snapshot.OfWallet(master, walletId, (master, $"/v1/channels/{channelId}"), (master, "/v1/me"));

        using var refused = await master.SendJson(HttpMethod.Put, $"/v1/channels/{channelId}/wallet", $$"""{ "walletId": "{{walletId}}" }""");

        await ProblemAssert.IsProblem(refused, HttpStatusCode.Conflict, "business_channel_required");
        Assert.Equal(before, await Snapshot.OfWallet(master, walletId, (master, $"/v1/channels/{channelId}"), (master, "/v1/me")));
    }

    [Fact]
    public async Task A_personal_wallet_connects_to_a_general_channel_and_refuses_a_tax_invoice_email()
    {
        using var master = platform.CreateClientFor(NewUser());
        await master.VerifyIdentity();
        var wallet = await master.SendJson(HttpMethod.Post, "/v1/wallets", """{ "name": "Me", "kind": "personal" }""").Expect(HttpStatusCode.Created);
        var walletId = wallet.GetProperty("id").GetString()!;
        var channel = await master.SendJson(HttpMethod.Post, "/v1/channels", """{ "name": "Club", "type": "general" }""").Expect(HttpStatusCode.Created);

        await master.ConnectWallet(channel.GetProperty("id").GetString()!, walletId);

        var before = await Snapshot.OfWallet(master, walletId);
        await ProblemAssert.IsProblem(await master.SendJson(HttpMethod.Patch, $"/v1/wallets/{walletId}", """{ "taxInvoiceEmail": "tax@example.com" }"""),
            HttpStatusCode.UnprocessableEntity, "business_wallet_required");
        Assert.Equal(before, await Snapshot.OfWallet(master, walletId));
        await ProblemAssert.IsProblem(
            await master.SendJson(HttpMethod.Post, "/v1/wallets", """{ "name": "Me too", "kind": "personal", "taxInvoiceEmail": "tax@example.com" }"""),
            HttpStatusCode.UnprocessableEntity, "business_wallet_required");
        Assert.Equal([walletId], (await master.GetOk("/v1/me")).GetProperty("wallets").EnumerateArray().Select(w => w.GetString()));
    }
}
