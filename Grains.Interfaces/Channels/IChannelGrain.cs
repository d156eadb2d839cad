using Granary;

namespace AdWallet.Grains.Channels;

/// <summary>
/// A channel with a master and admins. Only the channel master connects a wallet, and only a wallet they are the
/// master of; every admin of the channel may then charge and refund that wallet, and see nothing else of it.
/// </summary>
public interface IChannelGrain : IGrainWithStringKey
{
    Task<ChannelView> Create(Caller caller, string name);

    Task<ChannelView> Get(Caller caller);

    Task<ChannelView> AddAdmin(Caller caller, string userId);

    Task<ChannelView> ConnectWallet(Caller caller, string walletId);

    /// <summary>Records users who added the channel as a friend, by phone number; returns how many friends it has.</summary>
    Task<int> AddFriends(Caller caller, IReadOnlyList<string> phones);

    /// <summary>True for the channel master and its admins.</summary>
    [AlwaysInterleave]
    Task<bool> IsAdmin(string userId);
}

public sealed record ChannelView(string Id, string Name, string MasterId, IReadOnlyList<string> AdminIds, string? WalletId);
