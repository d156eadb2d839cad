namespace AdWallet.Api.Tests;

/// <summary>Who calls, as seen from the wallet or channel under test.</summary>
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

    /// <summary>An admin of the channel under test and of the channel the wallet under test is connected to.</summary>
    ChannelAdmin,
}

/// <summary>
/// A fresh world for one authorization case, built through the API so that no case sees another's changes:
/// <list type="bullet">
/// <item>wallet W (business): master <c>wm</c>, member <c>mem</c>, charged 50,000 won by card 4242…, one credit card;
/// connected to channel CW (master <c>wm</c>, admin <c>ca</c>), so <c>ca</c> may charge and refund W;</item>
/// <item>channel C: master <c>cm</c>, admin <c>ca</c>, connected to wallet WC (master <c>cm</c>, member <c>mem</c>).</item>
/// </list>
/// Wallet endpoints act on W, channel endpoints on C.
/// </summary>
public sealed class AuthorizationWorld : IDisposable
{
    private readonly Dictionary<Role, HttpClient> _clients = [];
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..12];

    private AuthorizationWorld(EmbeddedPlatform platform)
    {
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
        ChargeId = await wm.ChargeOk(WalletId, 50_000);
        CardId = await wm.AddCard(WalletId);
        WalletChannelId = await wm.CreateChannel("CW");
        await wm.AddChannelAdmin(WalletChannelId, UserId(Role.ChannelAdmin));
        await wm.ConnectWallet(WalletChannelId, WalletId);
    }

    private async Task BuildChannelSide()
    {
        var cm = Client(Role.ChannelMaster);
        ChannelId = await cm.CreateChannel("C");
        await cm.AddChannelAdmin(ChannelId, UserId(Role.ChannelAdmin));
        ChannelWalletId = await cm.CreateBusinessWallet("WC");
        await cm.AddWalletMember(ChannelWalletId, UserId(Role.WalletMember));
        await cm.ConnectWallet(ChannelId, ChannelWalletId);
    }

    /// <summary>Another wallet of the channel master, which they may connect to C.</summary>
    public Task<string> NewWalletOfChannelMaster() => Client(Role.ChannelMaster).CreateBusinessWallet("WC2");

    /// <summary>A second card on W.</summary>
    public Task<string> NewCardOnWallet() => Client(Role.WalletMaster).AddCard(WalletId, kind: "check");

    /// <summary>What a refused request must leave exactly as it was: W with its ledger and charges, and both channels.</summary>
    public Task<string> Snapshot() =>
        Tests.Snapshot.OfWallet(Client(Role.WalletMaster), WalletId,
            (Client(Role.WalletMaster), $"/v1/channels/{WalletChannelId}"),
            (Client(Role.ChannelMaster), $"/v1/channels/{ChannelId}"),
            (Client(Role.ChannelMaster), $"/v1/wallets/{ChannelWalletId}"));

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }
}
