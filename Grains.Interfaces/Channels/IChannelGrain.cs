using Orleans.Concurrency;
using Orleans;

namespace AdWallet.Grains.Channels;

/// <summary>
/// A channel with a master and admins, of a type (<see cref="ChannelTypes"/>). Only the channel master connects a
/// wallet, and only a wallet they are the master of (a business wallet only to a business channel); every admin of the
/// channel then has wallet-member rights on that wallet and finds it among their managed wallets.
/// </summary>
[Alias("adwallet.IChannelGrain")]
public interface IChannelGrain : IGrainWithStringKey
{
    /// <param name="type">A <see cref="ChannelTypes"/> value; null (a caller of the first contract) is business.</param>
    [Alias("Create")]
    Task<ChannelView> Create(Caller caller, string name, string? type = null);

    [Alias("Get")]
    Task<ChannelView> Get(Caller caller);

    [Alias("AddAdmin")]
    Task<ChannelView> AddAdmin(Caller caller, string userId);

    [Alias("ConnectWallet")]
    Task<ChannelView> ConnectWallet(Caller caller, string walletId);

    /// <summary>Records users who added the channel as a friend, by phone number; returns how many friends it has.</summary>
    [Alias("AddFriends")]
    Task<int> AddFriends(Caller caller, IReadOnlyList<string> phones);

    /// <summary>The channel's customer files, newest first.</summary>
    [Alias("ListCustomerFiles")]
    Task<Page<CustomerFileView>> ListCustomerFiles(Caller caller, PageRequest page);

    /// <summary>Makes a friend group of a completed customer file; refused with <c>file_not_ready</c> before then.</summary>
    [Alias("CreateFriendGroup")]
    Task<FriendGroupView> CreateFriendGroup(Caller caller, string name, string customerFileId);

    /// <summary>The channel's friend groups, newest first.</summary>
    [Alias("ListFriendGroups")]
    Task<Page<FriendGroupView>> ListFriendGroups(Caller caller, PageRequest page);

    /// <summary>Deletes a friend group; its customer file stays.</summary>
    [Alias("DeleteFriendGroup")]
    Task DeleteFriendGroup(Caller caller, string groupId);

    /// <summary>True for the channel master and its admins.</summary>
    [AlwaysInterleave]
    [Alias("IsAdmin")]
    Task<bool> IsAdmin(string userId);
}

[GenerateSerializer, Alias("adwallet.ChannelView")]
public sealed record ChannelView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string MasterId,
    [property: Id(3)] IReadOnlyList<string> AdminIds,
    [property: Id(4)] string? WalletId,
    [property: Id(5)] string Type);

/// <summary>A friend group: the registered numbers of a customer file (duplicates excluded) and how many of them are friends of the channel.</summary>
[GenerateSerializer, Alias("adwallet.FriendGroupView")]
public sealed record FriendGroupView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string CustomerFileId,
    [property: Id(3)] long Registered,
    [property: Id(4)] long Friends,
    [property: Id(5)] DateTimeOffset CreatedAt);
