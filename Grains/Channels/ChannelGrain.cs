using AdWallet.Grains.Users;
using AdWallet.Grains.Wallets;
using Orleans;
using Orleans.Runtime;

namespace AdWallet.Grains.Channels;

public sealed class ChannelState
{
    public bool Exists { get; set; }

    public string Name { get; set; } = "";

    /// <summary>A <see cref="ChannelTypes"/> value; null in channels stored before channels had a type (business).</summary>
    public string? Type { get; set; }

    public string MasterId { get; set; } = "";

    public List<string> AdminIds { get; set; } = [];

    public string? WalletId { get; set; }

    /// <summary>Phone numbers of the users who added the channel as a friend.</summary>
    public HashSet<string> FriendPhones { get; set; } = [];
}

/// <summary>A channel: its master, its admins, the wallet it is connected to and its friends.</summary>
public sealed class ChannelGrain([PersistentState("channel")] IPersistentState<ChannelState> channel) : Grain, IChannelGrain
{
    private ChannelState State => channel.State;

    private string Id => this.GetPrimaryKeyString();

    public async Task<ChannelView> Create(Caller caller, string name, string? type = null)
    {
        if (type is not null && !ChannelTypes.All.Contains(type))
            throw new DomainException(ErrorCodes.ValidationFailed, $"A channel is {string.Join(" or ", ChannelTypes.All)}.");
        if (State.Exists) throw new DomainException(ErrorCodes.AlreadyExists, $"Channel {Id} already exists.");
        State.Exists = true;
        State.Name = name;
        State.Type = type ?? ChannelTypes.Default;
        State.MasterId = caller.UserId;
        await channel.WriteStateAsync();
        await GrainFactory.GetGrain<IUserGrain>(caller.UserId).AddChannel(Id);
        return View();
    }

    public Task<ChannelView> Get(Caller caller)
    {
        RequireAdmin(caller);
        return Task.FromResult(View());
    }

    public async Task<ChannelView> AddAdmin(Caller caller, string userId)
    {
        RequireMaster(caller, "Only the channel master can add admins.");
        if (userId != State.MasterId && !State.AdminIds.Contains(userId))
        {
            State.AdminIds.Add(userId);
            await channel.WriteStateAsync();
        }
        // Also when already an admin: adding again repairs what a failed call left out.
        await GrainFactory.GetGrain<IUserGrain>(userId).AddChannel(Id);
        await TellManagedWallet(userId);
        return View();
    }

    public async Task<ChannelView> ConnectWallet(Caller caller, string walletId)
    {
        RequireMaster(caller, "Only the channel master can connect a wallet.");
        if (State.WalletId != walletId)
        {
            // The wallet decides whether the caller may connect it: only its master may.
            await GrainFactory.GetGrain<IWalletGrain>(walletId).ConnectChannel(caller, Id, Type);
            var previous = State.WalletId;
            State.WalletId = walletId;
            await channel.WriteStateAsync();
            if (previous is not null) await GrainFactory.GetGrain<IWalletGrain>(previous).DisconnectChannel(Id);
        }
        // Also when already connected: connecting again repairs the admins' managed wallets after a failed call.
        await Task.WhenAll(new[] { State.MasterId }.Concat(State.AdminIds).Select(TellManagedWallet));
        return View();
    }

    public async Task<int> AddFriends(Caller caller, IReadOnlyList<string> phones)
    {
        RequireAdmin(caller);
        var before = State.FriendPhones.Count;
        State.FriendPhones.UnionWith(phones);
        if (State.FriendPhones.Count != before) await channel.WriteStateAsync();
        return State.FriendPhones.Count;
    }

    /// <summary>Every admin manages the connected wallet (seed 001); the user keeps the list <c>GET /v1/me</c> shows.</summary>
    private Task TellManagedWallet(string userId) => GrainFactory.GetGrain<IUserGrain>(userId).SetManagedWallet(Id, State.WalletId);

    public Task<bool> IsAdmin(string userId) => Task.FromResult(IsAdmin(new Caller(userId)));

    private bool IsAdmin(Caller caller) =>
        State.Exists && (caller.UserId == State.MasterId || State.AdminIds.Contains(caller.UserId));

    private void RequireAdmin(Caller caller)
    {
        if (!IsAdmin(caller)) throw DomainException.NotFound($"Channel {Id}");
    }

    private void RequireMaster(Caller caller, string refusal)
    {
        RequireAdmin(caller);
        if (caller.UserId != State.MasterId) throw DomainException.Forbidden(refusal);
    }

    private string Type => State.Type ?? ChannelTypes.Default;

    private ChannelView View() => new(Id, State.Name, State.MasterId, [.. State.AdminIds], State.WalletId, Type);
}
