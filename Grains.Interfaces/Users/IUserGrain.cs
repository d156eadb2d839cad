using Orleans.Concurrency;
using Orleans;

namespace AdWallet.Grains.Users;

/// <summary>A user, keyed by the token's subject: identity verification, what they belong to, their notifications.</summary>
[Alias("adwallet.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<UserView> Get();

    [Alias("VerifyIdentity")]
    Task<UserView> VerifyIdentity(IdentityVerification verification);

    [AlwaysInterleave]
    [Alias("IsIdentityVerified")]
    Task<bool> IsIdentityVerified();

    [Alias("AddWallet")]
    Task AddWallet(string walletId);

    [Alias("RemoveWallet")]
    Task RemoveWallet(string walletId);

    [Alias("AddChannel")]
    Task AddChannel(string channelId);

    /// <summary>
    /// Called by a channel the user is an admin of: the wallet now connected to it (null: none), which the user then
    /// manages. Idempotent, so a channel may repeat it to repair a call that failed.
    /// </summary>
    [Alias("SetManagedWallet")]
    Task SetManagedWallet(string channelId, string? walletId);

    [Alias("AddAdAccount")]
    Task AddAdAccount(string adAccountId);

    [Alias("RemoveAdAccount")]
    Task RemoveAdAccount(string adAccountId);

    /// <summary>Delivers a notification once: a second delivery of the same id changes nothing.</summary>
    [Alias("Notify")]
    Task Notify(Notification notification);

    [Alias("ListNotifications")]
    Task<Page<NotificationView>> ListNotifications(PageRequest page);
}

/// <param name="Wallets">The wallets the user is the master or a member of.</param>
/// <param name="ManagedWallets">The wallets connected to channels the user is an admin of, other than <paramref name="Wallets"/>.</param>
[GenerateSerializer, Alias("adwallet.UserView")]
public sealed record UserView(
    [property: Id(0)] string Id,
    [property: Id(1)] bool IdentityVerified,
    [property: Id(2)] IReadOnlyList<string> Wallets,
    [property: Id(3)] IReadOnlyList<string> AdAccounts,
    [property: Id(4)] IReadOnlyList<string> Channels,
    [property: Id(5)] IReadOnlyList<string> ManagedWallets);

[GenerateSerializer, Alias("adwallet.IdentityVerification")]
public sealed record IdentityVerification([property: Id(0)] string Name, [property: Id(1)] DateOnly BirthDate, [property: Id(2)] string Phone);

[GenerateSerializer, Alias("adwallet.Notification")]
public sealed record Notification([property: Id(0)] string Id, [property: Id(1)] string Kind, [property: Id(2)] string Subject, [property: Id(3)] string Message);

[GenerateSerializer, Alias("adwallet.NotificationView")]
public sealed record NotificationView([property: Id(0)] string Id, [property: Id(1)] string Kind, [property: Id(2)] string Subject, [property: Id(3)] string Message, [property: Id(4)] DateTimeOffset CreatedAt);
