using AdWallet.Grains.Channels.CustomerFiles;
using AdWallet.Grains.Users;
using AdWallet.Grains.Wallets;
using AdWallet.Persistence;
using Orleans;
using Orleans.Runtime;

namespace AdWallet.Grains.Channels;

public sealed class ChannelState
{
    /// <summary>The most friend groups a channel keeps.</summary>
    public const int MaxFriendGroups = 100;

    public bool Exists { get; set; }

    public string Name { get; set; } = "";

    /// <summary>A <see cref="ChannelTypes"/> value; null in channels stored before channels had a type (business).</summary>
    public string? Type { get; set; }

    public string MasterId { get; set; } = "";

    public List<string> AdminIds { get; set; } = [];

    public string? WalletId { get; set; }

    /// <summary>
    /// Friends recorded before they were kept as rows (<see cref="ChannelSets.Friends"/>); moved there when the
    /// channel next activates, and empty from then on.
    /// </summary>
    public HashSet<string> FriendPhones { get; set; } = [];

    /// <summary>Friend groups, oldest first.</summary>
    public List<FriendGroupView> FriendGroups { get; set; } = [];
}

/// <summary>
/// A channel: its master, its admins, the wallet it is connected to, its friend groups. Its friends and its customer
/// files' numbers are sets in storage (they run to millions), counted and compared there.
/// </summary>
public sealed class ChannelGrain(
    [PersistentState("channel")] IPersistentState<ChannelState> channel,
    IKeySetStorage keySets,
    TimeProvider time) : Grain, IChannelGrain
{
    private ChannelState State => channel.State;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.FriendPhones.Count == 0) return;
        await keySets.AddAsync(ChannelSets.Friends(Id), State.FriendPhones.Select(NormalizedPhone).ToArray(), cancellationToken);
        State.FriendPhones.Clear();
        await channel.WriteStateAsync(cancellationToken);
    }

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
        var friends = ChannelSets.Friends(Id);
        await keySets.AddAsync(friends, phones.Select(NormalizedPhone).ToHashSet(StringComparer.Ordinal));
        return (int)Math.Min(int.MaxValue, await keySets.CountAsync(friends));
    }

    public async Task<Page<CustomerFileView>> ListCustomerFiles(Caller caller, PageRequest page)
    {
        RequireAdmin(caller);
        var ids = await keySets.ListDescendingAsync(ChannelSets.CustomerFiles(Id), page.Cursor, page.Limit + 1);
        var files = await Task.WhenAll(ids.Take(page.Limit).Select(id => GrainFactory.GetGrain<ICustomerFileGrain>(id).Get(caller, Id)));
        return new Page<CustomerFileView>(files, ids.Count > page.Limit ? ids[page.Limit - 1] : null);
    }

    public async Task<FriendGroupView> CreateFriendGroup(Caller caller, string name, string customerFileId)
    {
        RequireAdmin(caller);
        if (State.FriendGroups.Count >= ChannelState.MaxFriendGroups)
            throw new DomainException(ErrorCodes.FriendGroupLimit, $"A channel keeps at most {ChannelState.MaxFriendGroups} friend groups.");
        var file = await GrainFactory.GetGrain<ICustomerFileGrain>(customerFileId).Get(caller, Id);
        if (file.Status != CustomerFileStatuses.Completed)
            throw new DomainException(ErrorCodes.FileNotReady, $"Customer file {customerFileId} is {file.Status}: a friend group needs a completed file.");
        // Friends are counted now: users who added the channel since the file was processed count too.
        var friends = await keySets.CountCommonAsync(ChannelSets.CustomerFilePhones(customerFileId), ChannelSets.Friends(Id));
        var group = new FriendGroupView("fgr_" + Guid.CreateVersion7().ToString("N"), name, customerFileId, file.DistinctRegistered, friends, time.GetUtcNow());
        State.FriendGroups.Add(group);
        await channel.WriteStateAsync();
        return group;
    }

    public Task<Page<FriendGroupView>> ListFriendGroups(Caller caller, PageRequest page)
    {
        RequireAdmin(caller);
        // Group ids are time-ordered, so the newest have the highest ids.
        var groups = State.FriendGroups
            .Where(group => page.Cursor is null || string.CompareOrdinal(group.Id, page.Cursor) < 0)
            .OrderByDescending(group => group.Id, StringComparer.Ordinal)
            .Take(page.Limit + 1)
            .ToArray();
        return Task.FromResult(new Page<FriendGroupView>(groups.Take(page.Limit).ToArray(), groups.Length > page.Limit ? groups[page.Limit - 1].Id : null));
    }

    public async Task DeleteFriendGroup(Caller caller, string groupId)
    {
        RequireAdmin(caller);
        if (State.FriendGroups.RemoveAll(group => group.Id == groupId) == 0) throw DomainException.NotFound($"Friend group {groupId}");
        await channel.WriteStateAsync();
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

    /// <summary>Friends are kept in the form customer files are matched in; a number outside those rules is kept as given.</summary>
    private static string NormalizedPhone(string phone) => PhoneNumber.Normalize(phone) ?? phone;

    private string Type => State.Type ?? ChannelTypes.Default;

    private ChannelView View() => new(Id, State.Name, State.MasterId, [.. State.AdminIds], State.WalletId, Type);
}
