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
