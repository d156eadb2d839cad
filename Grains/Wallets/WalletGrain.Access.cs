using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Channels;

namespace AdWallet.Grains.Wallets;

/// <summary>Who may do what with a wallet (docs/domain-rules.md).</summary>
public sealed partial class WalletGrain
{
    private readonly HashSet<string> _identityVerified = [];

    private bool IsMaster(Caller caller) => State.Exists && caller.UserId == State.MasterId;

    private bool IsMember(Caller caller) => IsMaster(caller) || (State.Exists && State.MemberIds.Contains(caller.UserId));

    /// <summary>
    /// Wallet-member rights (seed 001): the master, the members, and every admin of a channel the wallet is connected
    /// to (its "managed wallet"). Anyone else is told the wallet does not exist. Masters and members answer without an
    /// await, so their calls still check and raise their events in one turn.
    /// </summary>
    private async Task RequireMemberAsync(Caller caller)
    {
        if (IsMember(caller) || await IsChannelAdminAsync(caller)) return;
        throw DomainException.NotFound($"Wallet {Id}");
    }

    /// <summary>Master-only actions: anyone with wallet-member rights sees the wallet and is forbidden; others: not found.</summary>
    private async Task RequireMasterAsync(Caller caller, string refusal)
    {
        await RequireMemberAsync(caller);
        if (!IsMaster(caller)) throw DomainException.Forbidden(refusal);
    }

    /// <summary>Charging: wallet-member rights, or a member of an ad account paid from the wallet (seed 003), who may do nothing else.</summary>
    private async Task RequireChargeAccessAsync(Caller caller)
    {
        if (IsMember(caller) || await IsChannelAdminAsync(caller) || await IsAdAccountMemberAsync(caller)) return;
        throw DomainException.NotFound($"Wallet {Id}");
    }

    /// <summary>The members of the wallet's ad accounts: the accounts keep their members, so each is asked.</summary>
    private Task<bool> IsAdAccountMemberAsync(Caller caller) =>
        AnyAsync(State.AdAccountIds, id => GrainFactory.GetGrain<IAdAccountGrain>(id).IsMember(caller.UserId));

    /// <summary>The admins of the wallet's channels: the channels keep their admins, so each is asked.</summary>
    private Task<bool> IsChannelAdminAsync(Caller caller) =>
        AnyAsync(State.ChannelIds, id => GrainFactory.GetGrain<IChannelGrain>(id).IsAdmin(caller.UserId));

    /// <summary>Asks one grain after the other (a copy of the ids: the list may change while a call is awaited).</summary>
    private async Task<bool> AnyAsync(List<string> ids, Func<string, Task<bool>> ask)
    {
        if (!State.Exists) return false;
        foreach (var id in ids.ToArray())
        {
            if (await ask(id)) return true;
        }
        return false;
    }

    /// <summary>Personal wallets: the caller's identity must be verified before creating, charging or refunding.</summary>
    private async Task RequireIdentityVerifiedAsync(string userId)
    {
        if (_identityVerified.Contains(userId)) return;
        if (!await User(userId).IsIdentityVerified())
            throw new DomainException(ErrorCodes.IdentityVerificationRequired, "Verify your identity before using a personal wallet.");
        _identityVerified.Add(userId);
    }

    private Task RequireIdentityForMoneyAsync(Caller caller) =>
        State.Kind == WalletKinds.Personal ? RequireIdentityVerifiedAsync(caller.UserId) : Task.CompletedTask;

    /// <summary>The idempotency scope: the caller, the operation and the key, within this wallet.</summary>
    private static string Scope(Caller caller, string operation, IdempotencyKey key) => $"{caller.UserId}|{operation}|{key.Key}";

    /// <summary>Finds what an earlier request with this key created; the same key with another request is refused.</summary>
    private bool TryFindEarlier(string scope, IdempotencyKey key, out string resourceId)
    {
        resourceId = "";
        if (!State.Idempotency.TryGetValue(scope, out var record)) return false;
        RequireSameRequest(record.RequestHash, key);
        resourceId = record.ResourceId;
        return true;
    }

    private static void RequireSameRequest(string requestHash, IdempotencyKey key)
    {
        if (requestHash != key.RequestHash)
            throw new DomainException(ErrorCodes.IdempotencyKeyReused, "This idempotency key was used for another request.");
    }
}
