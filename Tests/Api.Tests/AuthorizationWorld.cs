using System.Net;

namespace AdWallet.Api.Tests;

/// <summary>Who calls, as seen from the wallet, channel, ad account or campaign under test.</summary>
public enum Role
{
    /// <summary>No token at all.</summary>
    Anonymous,

    /// <summary>A valid token, and no relation to anything here.</summary>
    Outsider,

    /// <summary>A valid token with <c>role: operator</c>, and no relation to the wallet or channel.</summary>
    Operator,

    /// <summary>The master of the wallet under test (and of the channel it is connected to, which connecting requires).</summary>
    WalletMaster,

    /// <summary>A member of the wallet under test; also a member of the wallet connected to the channel under test.</summary>
    WalletMember,

    /// <summary>The master of the channel under test; has nothing to do with the wallet under test.</summary>
    ChannelMaster,

    /// <summary>
    /// An admin of the channel under test and of the channel the wallet under test is connected to, so a managing admin
    /// of the wallet under test (wallet-member rights, seed 001).
    /// </summary>
    ChannelAdmin,

    /// <summary>
    /// An admin only of the channel the wallet under test is connected to: manages the wallet under test (wallet-member
    /// rights) and has nothing to do with the channel under test.
    /// </summary>
    ManagingAdmin,

    /// <summary>The master of the ad account under test, which they created on the wallet under test as its member.</summary>
    AdMaster,

    /// <summary>A member of the ad account under test (invited, accepted); nothing to do with the wallet.</summary>
    AdMember,

    /// <summary>An agency whose rights on the ad account under test the master accepted; nothing to do with the wallet.</summary>
    Agency,

    /// <summary>Invited to the ad account under test and not answered yet.</summary>
    Invited,
}

/// <summary>
/// A fresh world for one authorization case, built through the API so that no case sees another's changes:
/// <list type="bullet">
/// <item>wallet W (business): master <c>wm</c>, member <c>mem</c>, charged 50,000 won by card 4242…, one credit card;
/// connected to channel CW (master <c>wm</c>, admins <c>ca</c> and <c>mga</c>), so <c>ca</c> and <c>mga</c> manage W
/// (wallet-member rights);</item>
/// <item>channel C: master <c>cm</c>, admin <c>ca</c>, connected to wallet WC (master <c>cm</c>, member <c>mem</c>);</item>
/// <item>ad account A on W (ON, since W is funded): created by <c>am</c>, a second member of W, who is its master; member
/// <c>amem</c>, accepted agency <c>ag</c>, pending invitation of <c>inv</c>; neither W's master nor <c>mem</c> is in A;</item>
/// <item>campaign CA in A: an emoticon campaign, running, budget 100,000, 100 a participation, no participation yet.</item>
/// </list>
/// Wallet endpoints act on W, channel endpoints on C, ad account endpoints on A, campaign endpoints on CA.
/// </summary>
public sealed class AuthorizationWorld : IDisposable
{
    private readonly Dictionary<Role, HttpClient> _clients = [];
    private readonly List<HttpClient> _extraClients = [];
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..12];
    private readonly EmbeddedPlatform _platform;

    private AuthorizationWorld(EmbeddedPlatform platform)
    {
        _platform = platform;
        foreach (var role in Enum.GetValues<Role>())
        {
            _clients[role] = role switch
            {
                Role.Anonymous => platform.CreateClient(),
                Role.Operator => platform.CreateClientFor(UserId(role), isOperator: true),
                _ => platform.CreateClientFor(UserId(role)),
            };
        }
    }

    public string WalletId { get; private set; } = "";

    /// <summary>The succeeded 50,000-won charge of W.</summary>
    public string ChargeId { get; private set; } = "";

    /// <summary>W's primary (and only) card.</summary>
    public string CardId { get; private set; } = "";

    /// <summary>The channel W is connected to.</summary>
    public string WalletChannelId { get; private set; } = "";

    public string ChannelId { get; private set; } = "";

    /// <summary>The wallet connected to C.</summary>
    public string ChannelWalletId { get; private set; } = "";

    /// <summary>Ad account A, on W.</summary>
    public string AdAccountId { get; private set; } = "";

    /// <summary>Campaign CA, running, in A.</summary>
    public string CampaignId { get; private set; } = "";

    public string UserId(Role role) => role == Role.Anonymous ? "" : $"{_prefix}_{role}";

    public HttpClient Client(Role role) => _clients[role];

    /// <summary>A user id nobody has used yet, for requests that name one.</summary>
    public string NewUserId() => $"{_prefix}_new_{Guid.NewGuid():N}"[..40];

    public static async Task<AuthorizationWorld> CreateAsync(EmbeddedPlatform platform)
    {
        var world = new AuthorizationWorld(platform);
        // The two halves share no grain but the users', so they are built side by side.
        await Task.WhenAll(world.BuildWalletSide(), world.BuildChannelSide());
        return world;
    }

    private async Task BuildWalletSide()
    {
        var wm = Client(Role.WalletMaster);
        WalletId = await wm.CreateBusinessWallet("W");
        await wm.AddWalletMember(WalletId, UserId(Role.WalletMember));
        await wm.AddWalletMember(WalletId, UserId(Role.AdMaster));
        ChargeId = await wm.ChargeOk(WalletId, 50_000);
        // The ad account comes after the charge, so that it is ON from the start.
        await Task.WhenAll(BuildCardAndChannel(), BuildAdSide());
    }

    private async Task BuildCardAndChannel()
    {
        var wm = Client(Role.WalletMaster);
        CardId = await wm.AddCard(WalletId);
        WalletChannelId = await wm.CreateChannel("CW");
        await wm.AddChannelAdmin(WalletChannelId, UserId(Role.ChannelAdmin));
        await wm.AddChannelAdmin(WalletChannelId, UserId(Role.ManagingAdmin));
        await wm.ConnectWallet(WalletChannelId, WalletId);
    }

    private async Task BuildAdSide()
    {
        var am = Client(Role.AdMaster);
        AdAccountId = await am.CreateAdAccount(WalletId, "A");
        await Task.WhenAll(
            am.AddAdAccountMember(AdAccountId, UserId(Role.AdMember), Client(Role.AdMember)),
            am.Invite(AdAccountId, UserId(Role.Invited)).Expect(HttpStatusCode.Created),
            AcceptAgency(Role.Agency));
        CampaignId = (await am.CreateCampaign(AdAccountId, AdvertisingCalls.CampaignBody(100_000, 100))).GetProperty("id").GetString()!;
    }

    private async Task AcceptAgency(Role agency)
    {
        await Client(agency).RequestAgencyRights(AdAccountId).Expect(HttpStatusCode.Created);
        await Client(Role.AdMaster).PostAsync($"/v1/ad-accounts/{AdAccountId}/agency-requests/{UserId(agency)}/accept", null).Expect(HttpStatusCode.OK);
    }

    /// <summary>A new user who asks for agency rights on A and waits for the master's decision; answers their id.</summary>
    public async Task<string> NewAgencyRequest()
    {
        var agencyId = NewUserId();
        var agency = _platform.CreateClientFor(agencyId);
        _extraClients.Add(agency);
        await agency.RequestAgencyRights(AdAccountId).Expect(HttpStatusCode.Created);
        return agencyId;
    }

    private async Task BuildChannelSide()
    {
        var cm = Client(Role.ChannelMaster);
        ChannelId = await cm.CreateChannel("C");
        await cm.AddChannelAdmin(ChannelId, UserId(Role.ChannelAdmin));
        ChannelWalletId = await cm.CreateBusinessWallet("WC");
        await cm.AddWalletMember(ChannelWalletId, UserId(Role.WalletMember));
        await cm.ConnectWallet(ChannelId, ChannelWalletId);
        using var upload = await cm.PostAsync($"/v1/channels/{ChannelId}/customer-files", new StringContent("01012345678\n", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        CustomerFileId = (await upload.ReadJson()).GetProperty("id").GetString()!;
        await CustomerFileHttpTests.WaitUntilDoneAsync(cm, ChannelId, CustomerFileId);
    }

    /// <summary>A completed customer file of C.</summary>
    public string CustomerFileId { get; private set; } = "";

    /// <summary>A new friend group of C, made of <see cref="CustomerFileId"/>.</summary>
    public async Task<string> NewFriendGroup()
    {
        var group = await Client(Role.ChannelMaster).SendJson(HttpMethod.Post, $"/v1/channels/{ChannelId}/friend-groups",
            $$"""{ "name": "G", "customerFileId": "{{CustomerFileId}}" }""").Expect(HttpStatusCode.Created);
        return group.GetProperty("id").GetString()!;
    }

    /// <summary>Another wallet of the channel master, which they may connect to C.</summary>
    public Task<string> NewWalletOfChannelMaster() => Client(Role.ChannelMaster).CreateBusinessWallet("WC2");

    /// <summary>A pending business-information request of W's master; answers its id.</summary>
    public async Task<string> NewBusinessInfoRequest()
    {
        var request = await Client(Role.WalletMaster).SendJson(HttpMethod.Post, $"/v1/wallets/{WalletId}/business-info-requests",
            """{ "businessName": "Renamed Co." }""").Expect(HttpStatusCode.Created);
        return request.GetProperty("id").GetString()!;
    }

    /// <summary>A second card on W.</summary>
    public Task<string> NewCardOnWallet() => Client(Role.WalletMaster).AddCard(WalletId, kind: "check");

    /// <summary>
    /// What a refused request must leave exactly as it was: W with its ledger, charges and business-information
    /// requests, both channels, A (members, agencies, invitations, status, campaigns), CA, and the notifications of A's master.
    /// </summary>
    public Task<string> Snapshot() =>
        Tests.Snapshot.OfWallet(Client(Role.WalletMaster), WalletId,
            (Client(Role.WalletMaster), $"/v1/channels/{WalletChannelId}"),
            (Client(Role.ChannelMaster), $"/v1/channels/{ChannelId}"),
            (Client(Role.ChannelMaster), $"/v1/channels/{ChannelId}/customer-files"),
            (Client(Role.ChannelMaster), $"/v1/channels/{ChannelId}/friend-groups"),
            (Client(Role.ChannelMaster), $"/v1/wallets/{ChannelWalletId}"),
            (Client(Role.AdMaster), $"/v1/ad-accounts/{AdAccountId}"),
            (Client(Role.AdMaster), $"/v1/campaigns/{CampaignId}"),
            (Client(Role.AdMaster), "/v1/me/notifications"),
            (Client(Role.WalletMaster), $"/v1/wallets/{WalletId}/business-info-requests"));

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        foreach (var client in _extraClients) client.Dispose();
    }
}
