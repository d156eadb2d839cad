using AdWallet.Grains.Channels;

namespace AdWallet.Grains.Wallets;

/// <summary>Who may do what with a wallet (docs/domain-rules.md).</summary>
public sealed partial class WalletGrain
{
    private readonly HashSet<string> _identityVerified = [];

    private bool IsMaster(Caller caller) => State.Exists && caller.UserId == State.MasterId;

    private bool IsMember(Caller caller) => IsMaster(caller) || (State.Exists && State.MemberIds.Contains(caller.UserId));

    /// <summary>Master or member; anyone else is told the wallet does not exist.</summary>
    private void RequireMember(Caller caller)
    {
        if (!IsMember(caller)) throw DomainException.NotFound($"Wallet {Id}");
    }

    private void RequireMaster(Caller caller, string refusal)
    {
        RequireMember(caller);
        if (!IsMaster(caller)) throw DomainException.Forbidden(refusal);
    }

    /// <summary>Charging and refunding: master, members, and the admins of a channel the wallet is connected to.</summary>
    private async Task RequireMoneyAccessAsync(Caller caller)
    {
        if (IsMember(caller)) return;
        if (State.Exists)
        {
            foreach (var channelId in State.ChannelIds.ToArray())
            {
                if (await GrainFactory.GetGrain<IChannelGrain>(channelId).IsAdmin(caller.UserId)) return;
            }
        }
        throw DomainException.NotFound($"Wallet {Id}");
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
