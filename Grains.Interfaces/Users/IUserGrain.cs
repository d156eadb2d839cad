using Granary;

namespace AdWallet.Grains.Users;

/// <summary>A user, keyed by the token's subject: identity verification, what they belong to, their notifications.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    Task<UserView> Get();

    Task<UserView> VerifyIdentity(IdentityVerification verification);

    [AlwaysInterleave]
    Task<bool> IsIdentityVerified();

    Task AddWallet(string walletId);

    Task RemoveWallet(string walletId);

    Task AddChannel(string channelId);

    Task AddAdAccount(string adAccountId);

    Task RemoveAdAccount(string adAccountId);

    /// <summary>Delivers a notification once: a second delivery of the same id changes nothing.</summary>
    Task Notify(Notification notification);

    Task<Page<NotificationView>> ListNotifications(PageRequest page);
}

public sealed record UserView(string Id, bool IdentityVerified, IReadOnlyList<string> Wallets, IReadOnlyList<string> AdAccounts, IReadOnlyList<string> Channels);

public sealed record IdentityVerification(string Name, DateOnly BirthDate, string Phone);

public sealed record Notification(string Id, string Kind, string Subject, string Message);

public sealed record NotificationView(string Id, string Kind, string Subject, string Message, DateTimeOffset CreatedAt);
