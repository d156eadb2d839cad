using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static AdWallet.Api.Tests.Role;

namespace AdWallet.Api.Tests;

/// <summary>
/// Who may call what: every <c>/v1</c> endpoint of the API reference (docs/api.md) against every <see cref="Role"/>, one
/// row each, on a fresh <see cref="AuthorizationWorld"/>. Requests carry a valid body and a fresh Idempotency-Key, so
/// authorization alone decides the answer; a refused request must leave the world exactly as it was.
/// </summary>
/// <remarks>
/// What each role gets follows from the endpoint's line in <see cref="Endpoints"/>:
/// anonymous → 401 <c>unauthorized</c>; a role named in the line's <c>Others</c> → what it says there (a state the role
/// is in, such as an ad account master asking for agency rights on their own account); on <c>/v1/ops</c>, an operator
/// → the success status and anyone else → 403 <c>forbidden</c>; on <c>/v1/me</c>-like endpoints (no resource), anyone
/// with a token → success; otherwise a role in <c>allowed</c> → success, one in <c>seesButMayNot</c> → 403
/// <c>forbidden</c>, and anyone else → 404 <c>not_found</c>, as if the resource did not exist. A new endpoint is one
/// line in the table.
/// </remarks>
public sealed class AuthorizationMatrixTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    public enum Resource
    {
        /// <summary>Needs a token and nothing else (the caller, or a resource it creates).</summary>
        None,

        Wallet,

        Channel,

        /// <summary>An ad account: its master, members and accepted agencies see it; anyone else is told it does not exist.</summary>
        AdAccount,

        /// <summary>A campaign: the users of its ad account see it.</summary>
        Campaign,

        /// <summary>Signed by the payment gateway: no bearer token and no role is enough; an unsigned request is 401.</summary>
        Gateway,

        /// <summary>Operator role required.</summary>
        Ops,
    }

    /// <summary>What one role gets instead of what the line's other columns imply; a null code is a success.</summary>
    public sealed record Answer(Role Role, HttpStatusCode Status, string? Code = null);

    public sealed record Endpoint(
        string Name, Resource Resource, HttpStatusCode Success, Role[] Allowed, Role[] SeesButMayNot, Func<AuthorizationWorld, Task<ApiRequest>> Request,
        Answer[]? Others = null)
    {
        public (HttpStatusCode Status, string? Code) Expected(Role role) =>
            Resource == Resource.Gateway ? (HttpStatusCode.Unauthorized, "invalid_signature")
            : role == Anonymous ? (HttpStatusCode.Unauthorized, "unauthorized")
            : Others?.FirstOrDefault(o => o.Role == role) is { } other ? (other.Status, other.Code)
            : Resource == Resource.Ops ? (role == Operator ? (Success, null) : (HttpStatusCode.Forbidden, "forbidden"))
            : Resource == Resource.None || Allowed.Contains(role) ? (Success, null)
            : SeesButMayNot.Contains(role) ? (HttpStatusCode.Forbidden, "forbidden")
            : (HttpStatusCode.NotFound, "not_found");
    }

    private static readonly Role[] Nobody = [];
    /// <summary>Wallet-member rights: the master, the members, and the admins of a channel W is connected to (seed 001).</summary>
    private static readonly Role[] WalletViewers = [WalletMaster, WalletMember, AdMaster, ChannelAdmin, ManagingAdmin];

    /// <summary>Who sees W but may not do what only its master does.</summary>
    private static readonly Role[] WalletMembers = [WalletMember, AdMaster, ChannelAdmin, ManagingAdmin];
    private static readonly Role[] ChannelAdmins = [ChannelMaster, ChannelAdmin];

    /// <summary>Who uses the ad account and its campaigns: its master, its members and its accepted agencies (not the invited).</summary>
    private static readonly Role[] AdUsers = [AdMaster, AdMember, Agency];

    /// <summary>Who sees the ad account but may not do what only its master does.</summary>
    private static readonly Role[] AdNonMasters = [AdMember, Agency];

    /// <summary>Everyone with a token who neither is the ad account's master nor a member of it.</summary>
    private static readonly Role[] NotYetAdUsers = [Outsider, Operator, WalletMaster, WalletMember, ChannelMaster, ChannelAdmin, ManagingAdmin, Agency, Invited];

    private static string ChargeBody => """{ "amount": 10000, "method": "card", "termsAccepted": true, "cardNumber": "4242424242424242" }""";

    /// <summary>The endpoints, one line each: name, resource, success status, who may, who sees but may not, the request.</summary>
    public static readonly IReadOnlyList<Endpoint> Endpoints =
    [
        // Users
        new("GET /v1/me", Resource.None, HttpStatusCode.OK, Nobody, Nobody, _ => Ok(ApiRequest.Get("/v1/me"))),
        new("POST /v1/me/identity-verification", Resource.None, HttpStatusCode.OK, Nobody, Nobody,
            _ => Ok(ApiRequest.Post("/v1/me/identity-verification", """{ "name": "Kim Minji", "birthDate": "1990-04-01", "phone": "+821012345678" }"""))),
        new("GET /v1/me/notifications", Resource.None, HttpStatusCode.OK, Nobody, Nobody, _ => Ok(ApiRequest.Get("/v1/me/notifications"))),

        // Wallets
        new("POST /v1/wallets", Resource.None, HttpStatusCode.Created, Nobody, Nobody,
            _ => Ok(ApiRequest.Post("/v1/wallets", """{ "name": "New", "kind": "business", "businessRegistrationNumber": "1234567890" }"""))),
        new("GET /v1/wallets/{walletId}", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody, w => Ok(ApiRequest.Get($"/v1/wallets/{w.WalletId}"))),
        new("PATCH /v1/wallets/{walletId} {name}", Resource.Wallet, HttpStatusCode.OK, [WalletMaster], WalletMembers,
            w => Ok(ApiRequest.Patch($"/v1/wallets/{w.WalletId}", """{ "name": "Renamed" }"""))),
        new("PATCH /v1/wallets/{walletId} {taxInvoiceEmail}", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody,
            w => Ok(ApiRequest.Patch($"/v1/wallets/{w.WalletId}", """{ "taxInvoiceEmail": "books@example.com" }"""))),
        new("POST /v1/wallets/{walletId}/members", Resource.Wallet, HttpStatusCode.OK, [WalletMaster], WalletMembers,
            w => Ok(ApiRequest.Post($"/v1/wallets/{w.WalletId}/members", $$"""{ "userId": "{{w.NewUserId()}}" }"""))),
        new("DELETE /v1/wallets/{walletId}/members/{userId}", Resource.Wallet, HttpStatusCode.NoContent, [WalletMaster], WalletMembers,
            w => Ok(ApiRequest.Delete($"/v1/wallets/{w.WalletId}/members/{w.UserId(WalletMember)}"))),

        // Business-information requests: the wallet master's; whoever else sees W may not.
        new("POST /v1/wallets/{walletId}/business-info-requests", Resource.Wallet, HttpStatusCode.Created, [WalletMaster], WalletMembers,
            w => Ok(ApiRequest.Post($"/v1/wallets/{w.WalletId}/business-info-requests", """{ "businessRegistrationNumber": "9876543210", "businessName": "New Co." }"""))),
        new("GET /v1/wallets/{walletId}/business-info-requests", Resource.Wallet, HttpStatusCode.OK, [WalletMaster], WalletMembers,
            w => Ok(ApiRequest.Get($"/v1/wallets/{w.WalletId}/business-info-requests"))),

        // Charges. Every member of an ad account paid from W may charge W (seed 003), and do nothing else with it; A's
        // accepted agency and invited user are no members of A.
        new("POST /v1/wallets/{walletId}/charges", Resource.Wallet, HttpStatusCode.Created, [.. WalletViewers, AdMember], Nobody,
            w => Ok(ApiRequest.PostMoney($"/v1/wallets/{w.WalletId}/charges", ChargeBody))),
        new("GET /v1/wallets/{walletId}/charges", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody,
            w => Ok(ApiRequest.Get($"/v1/wallets/{w.WalletId}/charges"))),
        new("GET /v1/wallets/{walletId}/charges/{chargeId}", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody,
            w => Ok(ApiRequest.Get($"/v1/wallets/{w.WalletId}/charges/{w.ChargeId}"))),

        // Ledger
        new("GET /v1/wallets/{walletId}/transactions", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody,
            w => Ok(ApiRequest.Get($"/v1/wallets/{w.WalletId}/transactions"))),

        // Refunds
        new("POST /v1/wallets/{walletId}/refunds", Resource.Wallet, HttpStatusCode.Created, WalletViewers, Nobody,
            w => Ok(ApiRequest.PostMoney($"/v1/wallets/{w.WalletId}/refunds", $$"""{ "chargeId": "{{w.ChargeId}}", "amount": 1000 }"""))),

        // Cards and auto-pay
        new("POST /v1/wallets/{walletId}/cards", Resource.Wallet, HttpStatusCode.Created, WalletViewers, Nobody,
            w => Ok(ApiRequest.Post($"/v1/wallets/{w.WalletId}/cards", """{ "number": "4242424242424242", "expiry": "12/39", "kind": "check" }"""))),
        new("POST /v1/wallets/{walletId}/cards/{cardId}/primary", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody,
            async w => ApiRequest.Post($"/v1/wallets/{w.WalletId}/cards/{await w.NewCardOnWallet()}/primary")),
        new("DELETE /v1/wallets/{walletId}/cards/{cardId}", Resource.Wallet, HttpStatusCode.NoContent, WalletViewers, Nobody,
            w => Ok(ApiRequest.Delete($"/v1/wallets/{w.WalletId}/cards/{w.CardId}"))),
        new("PUT /v1/wallets/{walletId}/auto-pay", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody,
            w => Ok(ApiRequest.Put($"/v1/wallets/{w.WalletId}/auto-pay", """{ "enabled": true, "dailyLimit": 100000 }"""))),
        new("GET /v1/wallets/{walletId}/auto-pay/attempts", Resource.Wallet, HttpStatusCode.OK, WalletViewers, Nobody,
            w => Ok(ApiRequest.Get($"/v1/wallets/{w.WalletId}/auto-pay/attempts"))),

        // Channels
        new("POST /v1/channels", Resource.None, HttpStatusCode.Created, Nobody, Nobody, _ => Ok(ApiRequest.Post("/v1/channels", """{ "name": "New" }"""))),
        new("GET /v1/channels/{channelId}", Resource.Channel, HttpStatusCode.OK, ChannelAdmins, Nobody, w => Ok(ApiRequest.Get($"/v1/channels/{w.ChannelId}"))),
        new("POST /v1/channels/{channelId}/admins", Resource.Channel, HttpStatusCode.OK, [ChannelMaster], [ChannelAdmin],
            w => Ok(ApiRequest.Post($"/v1/channels/{w.ChannelId}/admins", $$"""{ "userId": "{{w.NewUserId()}}" }"""))),
        new("PUT /v1/channels/{channelId}/wallet", Resource.Channel, HttpStatusCode.OK, [ChannelMaster], [ChannelAdmin],
            async w => ApiRequest.Put($"/v1/channels/{w.ChannelId}/wallet", $$"""{ "walletId": "{{await w.NewWalletOfChannelMaster()}}" }""")),
        new("POST /v1/channels/{channelId}/friends", Resource.Channel, HttpStatusCode.OK, ChannelAdmins, Nobody,
            w => Ok(ApiRequest.Post($"/v1/channels/{w.ChannelId}/friends", """{ "phones": ["+821011112222", "+821033334444"] }"""))),
        new("POST /v1/channels/{channelId}/customer-files", Resource.Channel, HttpStatusCode.Accepted, ChannelAdmins, Nobody,
            w => Ok(ApiRequest.PostCsv($"/v1/channels/{w.ChannelId}/customer-files", "01012345678\n"))),
        new("GET /v1/channels/{channelId}/customer-files", Resource.Channel, HttpStatusCode.OK, ChannelAdmins, Nobody,
            w => Ok(ApiRequest.Get($"/v1/channels/{w.ChannelId}/customer-files"))),
        new("GET /v1/channels/{channelId}/customer-files/{fileId}", Resource.Channel, HttpStatusCode.OK, ChannelAdmins, Nobody,
            w => Ok(ApiRequest.Get($"/v1/channels/{w.ChannelId}/customer-files/{w.CustomerFileId}"))),
        new("POST /v1/channels/{channelId}/friend-groups", Resource.Channel, HttpStatusCode.Created, ChannelAdmins, Nobody,
            w => Ok(ApiRequest.Post($"/v1/channels/{w.ChannelId}/friend-groups", $$"""{ "name": "G", "customerFileId": "{{w.CustomerFileId}}" }"""))),
        new("GET /v1/channels/{channelId}/friend-groups", Resource.Channel, HttpStatusCode.OK, ChannelAdmins, Nobody,
            w => Ok(ApiRequest.Get($"/v1/channels/{w.ChannelId}/friend-groups"))),
        new("DELETE /v1/channels/{channelId}/friend-groups/{groupId}", Resource.Channel, HttpStatusCode.NoContent, ChannelAdmins, Nobody,
            async w => ApiRequest.Delete($"/v1/channels/{w.ChannelId}/friend-groups/{await w.NewFriendGroup()}")),

        // Ad accounts. Creating one is the wallet's business: whoever has wallet-member rights on W may (A's master is a
        // member of W, the admins of W's channel manage it), and anyone else is told W does not exist.
        new("POST /v1/ad-accounts", Resource.Wallet, HttpStatusCode.Created, WalletViewers, Nobody,
            w => Ok(ApiRequest.Post("/v1/ad-accounts", $$"""{ "name": "Second", "walletId": "{{w.WalletId}}" }"""))),
        new("GET /v1/ad-accounts/{adAccountId}", Resource.AdAccount, HttpStatusCode.OK, AdUsers, Nobody,
            w => Ok(ApiRequest.Get($"/v1/ad-accounts/{w.AdAccountId}"))),
        new("PUT /v1/ad-accounts/{adAccountId}/status", Resource.AdAccount, HttpStatusCode.OK, [AdMaster], AdNonMasters,
            w => Ok(ApiRequest.Put($"/v1/ad-accounts/{w.AdAccountId}/status", """{ "status": "off" }"""))),
        new("POST /v1/ad-accounts/{adAccountId}/invitations", Resource.AdAccount, HttpStatusCode.Created, [AdMaster], AdNonMasters,
            w => Ok(ApiRequest.Post($"/v1/ad-accounts/{w.AdAccountId}/invitations", $$"""{ "userId": "{{w.NewUserId()}}" }"""))),
        // Only the invited user has an invitation to answer. Accepting again is answered as the first time (so the
        // master and a member get 200); an agency, which sees the account, has no invitation: 409 no_invitation.
        new("POST /v1/ad-accounts/{adAccountId}/invitations/accept", Resource.AdAccount, HttpStatusCode.OK, [Invited, AdMaster, AdMember], Nobody,
            w => Ok(ApiRequest.Post($"/v1/ad-accounts/{w.AdAccountId}/invitations/accept")),
            Others: [new(Agency, HttpStatusCode.Conflict, "no_invitation")]),
        new("POST /v1/ad-accounts/{adAccountId}/invitations/reject", Resource.AdAccount, HttpStatusCode.OK, [Invited], Nobody,
            w => Ok(ApiRequest.Post($"/v1/ad-accounts/{w.AdAccountId}/invitations/reject")),
            Others: [.. AdUsers.Select(r => new Answer(r, HttpStatusCode.Conflict, "no_invitation"))]),
        new("DELETE /v1/ad-accounts/{adAccountId}/members/{userId}", Resource.AdAccount, HttpStatusCode.NoContent, [AdMaster], AdNonMasters,
            w => Ok(ApiRequest.Delete($"/v1/ad-accounts/{w.AdAccountId}/members/{w.UserId(AdMember)}"))),
        // Any user may ask for agency rights on an account they know the id of (an accepted agency is answered
        // "accepted" again); its master and members already use it.
        new("POST /v1/ad-accounts/{adAccountId}/agency-requests", Resource.AdAccount, HttpStatusCode.Created, NotYetAdUsers, Nobody,
            w => Ok(ApiRequest.Post($"/v1/ad-accounts/{w.AdAccountId}/agency-requests")),
            Others: [new(AdMaster, HttpStatusCode.Conflict, "already_exists"), new(AdMember, HttpStatusCode.Conflict, "already_exists")]),
        new("POST /v1/ad-accounts/{adAccountId}/agency-requests/{agencyId}/accept", Resource.AdAccount, HttpStatusCode.OK, [AdMaster], AdNonMasters,
            async w => ApiRequest.Post($"/v1/ad-accounts/{w.AdAccountId}/agency-requests/{await w.NewAgencyRequest()}/accept")),
        new("POST /v1/ad-accounts/{adAccountId}/agency-requests/{agencyId}/reject", Resource.AdAccount, HttpStatusCode.OK, [AdMaster], AdNonMasters,
            async w => ApiRequest.Post($"/v1/ad-accounts/{w.AdAccountId}/agency-requests/{await w.NewAgencyRequest()}/reject")),
        new("POST /v1/ad-accounts/{adAccountId}/campaigns", Resource.AdAccount, HttpStatusCode.Created, AdUsers, Nobody,
            w => Ok(ApiRequest.Post($"/v1/ad-accounts/{w.AdAccountId}/campaigns", AdvertisingCalls.CampaignBody(50_000, 100)))),

        // Campaigns
        new("GET /v1/campaigns/{campaignId}", Resource.Campaign, HttpStatusCode.OK, AdUsers, Nobody,
            w => Ok(ApiRequest.Get($"/v1/campaigns/{w.CampaignId}"))),
        new("PATCH /v1/campaigns/{campaignId} {name}", Resource.Campaign, HttpStatusCode.OK, AdUsers, Nobody,
            w => Ok(ApiRequest.Patch($"/v1/campaigns/{w.CampaignId}", """{ "name": "Renamed" }"""))),
        new("PATCH /v1/campaigns/{campaignId} {endsAt}", Resource.Campaign, HttpStatusCode.OK, AdUsers, Nobody,
            w => Ok(ApiRequest.Patch($"/v1/campaigns/{w.CampaignId}", $$"""{ "endsAt": "{{AdvertisingCalls.Iso(DateTimeOffset.UtcNow.AddDays(30))}}" }"""))),
        new("PUT /v1/campaigns/{campaignId}/creative", Resource.Campaign, HttpStatusCode.OK, AdUsers, Nobody,
            w => Ok(ApiRequest.Put($"/v1/campaigns/{w.CampaignId}/creative", """{ "creativeId": "creative_2" }"""))),
        new("POST /v1/campaigns/{campaignId}/stop", Resource.Campaign, HttpStatusCode.OK, AdUsers, Nobody,
            w => Ok(ApiRequest.Post($"/v1/campaigns/{w.CampaignId}/stop"))),
        new("POST /v1/campaigns/{campaignId}/participations", Resource.Campaign, HttpStatusCode.Created, AdUsers, Nobody,
            w => Ok(ApiRequest.Post($"/v1/campaigns/{w.CampaignId}/participations", $$"""{ "userId": "{{w.NewUserId()}}", "phone": "+821012345678" }"""))),

        // Operations
        new("POST /v1/ops/wallets/{walletId}/free-cash", Resource.Ops, HttpStatusCode.Created, Nobody, Nobody,
            w => Ok(ApiRequest.PostMoney($"/v1/ops/wallets/{w.WalletId}/free-cash", ApiCalls.FreeCashBody(3000)))),
        new("GET /v1/ops/cluster", Resource.Ops, HttpStatusCode.OK, Nobody, Nobody, _ => Ok(ApiRequest.Get("/v1/ops/cluster"))),
        new("POST /v1/ops/dashboard-session", Resource.Ops, HttpStatusCode.NoContent, Nobody, Nobody, _ => Ok(ApiRequest.Post("/v1/ops/dashboard-session"))),
        new("GET /v1/ops/reconciliation", Resource.Ops, HttpStatusCode.OK, Nobody, Nobody, _ => Ok(ApiRequest.Get("/v1/ops/reconciliation"))),
        new("GET /v1/ops/business-info-requests", Resource.Ops, HttpStatusCode.OK, Nobody, Nobody, _ => Ok(ApiRequest.Get("/v1/ops/business-info-requests"))),
        new("POST /v1/ops/business-info-requests/{requestId}/approve", Resource.Ops, HttpStatusCode.OK, Nobody, Nobody,
            async w => ApiRequest.Post($"/v1/ops/business-info-requests/{await w.NewBusinessInfoRequest()}/approve")),
        new("POST /v1/ops/business-info-requests/{requestId}/reject", Resource.Ops, HttpStatusCode.OK, Nobody, Nobody,
            async w => ApiRequest.Post($"/v1/ops/business-info-requests/{await w.NewBusinessInfoRequest()}/reject")),

        // The payment gateway's webhooks: a bearer token, even an operator's, is no signature.
        new("POST /v1/payment-webhooks", Resource.Gateway, HttpStatusCode.NoContent, Nobody, Nobody,
            w => Ok(ApiRequest.Post("/v1/payment-webhooks",
                $$"""{ "eventId": "evt_1", "type": "payment.captured", "createdAt": "2026-12-03T00:00:00Z", "data": { "paymentKey": "pay_1", "orderId": "{{w.WalletId}}/chg_1", "amount": 1000, "cancelledAmount": 0 } }"""))),
    ];

    public static TheoryData<string, Role, int> Matrix()
    {
        var rows = new TheoryData<string, Role, int>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var role in Enum.GetValues<Role>())
                rows.Add(endpoint.Name, role, (int)endpoint.Expected(role).Status);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Authorization(string endpoint, Role role, int expected)
    {
        var line = Endpoints.Single(e => e.Name == endpoint);
        // The row's expected status comes from the same line: what is checked is the answer, against it.
        var (_, code) = line.Expected(role);
        var status = (HttpStatusCode)expected;
        using var world = await AuthorizationWorld.CreateAsync(platform);
        var request = await line.Request(world);
        var before = await world.Snapshot();

        using var response = await request.SendWith(world.Client(role));

        if (code is null)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == expected, $"{role} on {request}: expected {expected}, got {(int)response.StatusCode}: {text}");
        }
        else
        {
            await ProblemAssert.IsProblem(response, status, code);
            Assert.Equal(before, await world.Snapshot());
        }
        await LedgerInvariant.AssertAddsUp(world.Client(Role.WalletMaster), world.WalletId);
    }

    [Fact]
    public void The_matrix_covers_every_v1_endpoint_the_api_maps_and_nothing_else()
    {
        var mapped = platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1") == true)
            .Select(e => $"{e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single()} {Normalize(e.RoutePattern.RawText!)}")
            .ToHashSet();
        var covered = Endpoints.Select(e => Normalize(e.Name.Split(' ', 3) is [var method, var path, ..] ? $"{method} {path}" : e.Name)).ToHashSet();

        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(covered));
        Assert.Empty(covered.Except(mapped));
    }

    [Fact]
    public async Task A_channel_master_connects_only_a_wallet_they_are_the_master_of()
    {
        using var world = await AuthorizationWorld.CreateAsync(platform);
        var cm = world.Client(ChannelMaster);
        var before = await world.Snapshot();

        // W is not theirs at all: the wallet answers as if it did not exist.
        using var unrelated = await cm.SendJson(HttpMethod.Put, $"/v1/channels/{world.ChannelId}/wallet", $$"""{ "walletId": "{{world.WalletId}}" }""");
        await ProblemAssert.IsProblem(unrelated, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(before, await world.Snapshot());

        // A member of W sees it but may not connect it.
        await world.Client(WalletMaster).AddWalletMember(world.WalletId, world.UserId(ChannelMaster));
        before = await world.Snapshot();
        using var asMember = await cm.SendJson(HttpMethod.Put, $"/v1/channels/{world.ChannelId}/wallet", $$"""{ "walletId": "{{world.WalletId}}" }""");
        await ProblemAssert.IsProblem(asMember, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, await world.Snapshot());
        Assert.Equal(world.ChannelWalletId, (await cm.GetOk($"/v1/channels/{world.ChannelId}")).GetProperty("walletId").GetString());
    }

    [Fact]
    public async Task Channel_admins_lose_the_wallet_when_the_channel_connects_another()
    {
        using var world = await AuthorizationWorld.CreateAsync(platform);
        var ca = world.Client(ChannelAdmin);
        await ca.Charge(world.ChannelWalletId, 10_000, "before").Expect(HttpStatusCode.Created);

        await world.Client(ChannelMaster).ConnectWallet(world.ChannelId, await world.NewWalletOfChannelMaster());

        await ProblemAssert.IsProblem(await ca.Charge(world.ChannelWalletId, 10_000, "after"), HttpStatusCode.NotFound, "not_found");
        var ledger = await LedgerInvariant.AssertAddsUp(world.Client(ChannelMaster), world.ChannelWalletId);
        Assert.Equal(10_000, ledger.Total);
    }

    [Fact]
    public async Task A_removed_member_loses_the_wallet_at_once()
    {
        using var world = await AuthorizationWorld.CreateAsync(platform);
        var member = world.Client(WalletMember);
        await member.GetOk($"/v1/wallets/{world.WalletId}");

        await world.Client(WalletMaster).DeleteAsync($"/v1/wallets/{world.WalletId}/members/{world.UserId(WalletMember)}").Expect(HttpStatusCode.NoContent);

        await ProblemAssert.IsProblem(await member.GetAsync($"/v1/wallets/{world.WalletId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await member.Charge(world.WalletId, 10_000, "gone"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await member.Refund(world.WalletId, world.ChargeId, 1000, "gone"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(50_000, (await LedgerInvariant.AssertAddsUp(world.Client(WalletMaster), world.WalletId)).Total);
    }

    private static string Normalize(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route.TrimEnd('/'), @"\{([A-Za-z]+)(:[a-z]+)?\}", "{$1}");

    private static Task<ApiRequest> Ok(ApiRequest request) => Task.FromResult(request);
}
