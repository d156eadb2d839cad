using AdWallet.Persistence;
using Orleans;
using Orleans.Runtime;

namespace AdWallet.Grains.Users;

public sealed class UserState
{
    /// <summary>How many delivered notification ids are remembered to refuse a second delivery.</summary>
    public const int RememberedNotifications = 1_000;

    public bool IdentityVerified { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    public List<string> Wallets { get; set; } = [];

    public List<string> AdAccounts { get; set; } = [];

    public List<string> Channels { get; set; } = [];

    /// <summary>The wallet connected to each channel the user is an admin of; a wallet connected to two such channels appears twice.</summary>
    public Dictionary<string, string> ManagedWalletsByChannel { get; set; } = [];

    public List<string> RecentNotificationIds { get; set; } = [];
}

/// <summary>A notification as stored in the user's journal.</summary>
public sealed record StoredNotification(string Id, string Kind, string Subject, string Message, DateTimeOffset CreatedAt);

/// <summary>
/// A user: identity verification, the wallets, ad accounts and channels they belong to, and their notifications
/// (a journal, newest first). Users exist as soon as they are addressed; nothing is stored until something happens.
/// </summary>
public sealed class UserGrain(
    [JournaledState("user")] IJournaledState<UserState, StoredNotification> user,
    TimeProvider time) : Grain, IUserGrain
{
    private UserState State => user.State;

    public Task<UserView> Get() => Task.FromResult(View());

    public async Task<UserView> VerifyIdentity(IdentityVerification verification)
    {
        // The identity provider would check name, birth date and phone here; the platform keeps only the outcome.
        if (!State.IdentityVerified)
        {
            State.IdentityVerified = true;
            State.VerifiedAt = time.GetUtcNow();
            await user.WriteStateAsync();
        }
        return View();
    }

    public Task<bool> IsIdentityVerified() => Task.FromResult(State.IdentityVerified);

    public Task AddWallet(string walletId) => AddTo(State.Wallets, walletId);

    public Task RemoveWallet(string walletId) => RemoveFrom(State.Wallets, walletId);

    public Task AddChannel(string channelId) => AddTo(State.Channels, channelId);

    public async Task SetManagedWallet(string channelId, string? walletId)
    {
        var known = State.ManagedWalletsByChannel.GetValueOrDefault(channelId);
        if (known == walletId) return;
        if (walletId is null) State.ManagedWalletsByChannel.Remove(channelId);
        else State.ManagedWalletsByChannel[channelId] = walletId;
        await user.WriteStateAsync();
    }

    public Task AddAdAccount(string adAccountId) => AddTo(State.AdAccounts, adAccountId);

    public Task RemoveAdAccount(string adAccountId) => RemoveFrom(State.AdAccounts, adAccountId);

    public async Task Notify(Notification notification)
    {
        if (State.RecentNotificationIds.Contains(notification.Id)) return;
        user.Append(new StoredNotification(notification.Id, notification.Kind, notification.Subject, notification.Message, time.GetUtcNow()));
        State.RecentNotificationIds.Add(notification.Id);
        if (State.RecentNotificationIds.Count > UserState.RememberedNotifications) State.RecentNotificationIds.RemoveAt(0);
        await user.WriteStateAsync();
    }

    public async Task<Page<NotificationView>> ListNotifications(PageRequest page)
    {
        var entries = await user.ReadEntriesAsync(Paging.ParseCursor(page.Cursor), page.Limit + 1);
        var items = entries.Take(page.Limit)
            .Select(e => new NotificationView(e.Value.Id, e.Value.Kind, e.Value.Subject, e.Value.Message, e.Value.CreatedAt))
            .ToArray();
        return new Page<NotificationView>(items, entries.Count > page.Limit ? Paging.Cursor(entries[page.Limit - 1].Sequence) : null);
    }

    private async Task AddTo(List<string> list, string id)
    {
        if (list.Contains(id)) return;
        list.Add(id);
        await user.WriteStateAsync();
    }

    private async Task RemoveFrom(List<string> list, string id)
    {
        if (list.Remove(id)) await user.WriteStateAsync();
    }

    private UserView View() =>
        new(this.GetPrimaryKeyString(), State.IdentityVerified, [.. State.Wallets], [.. State.AdAccounts], [.. State.Channels], ManagedWallets());

    /// <summary>Managed wallets are those one has rights on only as a channel admin: not one's own, nor one is a member of.</summary>
    private string[] ManagedWallets() =>
        [.. State.ManagedWalletsByChannel.Values.Distinct().Except(State.Wallets).Order(StringComparer.Ordinal)];
}
