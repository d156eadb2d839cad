using AdWallet.Grains.Users;
using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Options;

namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// Counts creations of one kind by one owner: ad accounts by their creator (<see cref="ForAccounts"/>), campaigns by
/// their ad account (<see cref="ForCampaigns"/>). Only ad accounts call it.
/// </summary>
internal interface ICreationGuardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts a creation about to be made. The first one past the limit within the window is allowed and warns
    /// <paramref name="masterId"/> (<c>mass_creation_warning</c>); while that warning stands, a creation past the limit
    /// is refused with <c>creation_rate_limited</c> and not counted.
    /// </summary>
    Task Check(string masterId);
}

internal static class CreationGuards
{
    public const string AccountsPrefix = "accounts:";
    public const string CampaignsPrefix = "campaigns:";

    public static string ForAccounts(string userId) => AccountsPrefix + userId;

    public static string ForCampaigns(string adAccountId) => CampaignsPrefix + adAccountId;
}

public sealed class CreationGuardState
{
    /// <summary>When the creations still inside the window were made, oldest first. Refused ones are not here.</summary>
    public List<DateTimeOffset> Creations { get; set; } = [];

    /// <summary>When the master was warned: the creation that went past the limit.</summary>
    public DateTimeOffset? WarnedAt { get; set; }
}

/// <summary>
/// A sliding-window count of creations. The warning stands while the creation that earned it is inside the window;
/// once it has left, the window holds no excess and the next creation past the limit earns a new warning first.
/// </summary>
internal sealed class CreationGuardGrain(
    [PersistentState("creationGuard")] IPersistentState<CreationGuardState> guard,
    IOptions<CreationGuardOptions> options,
    TimeProvider time) : Grain, ICreationGuardGrain
{
    public const string WarningKind = "mass_creation_warning";

    private CreationGuardState State => guard.State;

    public async Task Check(string masterId)
    {
        var now = time.GetUtcNow();
        var (window, limit) = (options.Value.Window, options.Value.MaxCreations);
        var windowStart = now - window;
        State.Creations.RemoveAll(at => at <= windowStart);
        if (State.WarnedAt <= windowStart) State.WarnedAt = null;

        if (State.Creations.Count >= limit)
        {
            if (State.WarnedAt is { } warnedAt)
            {
                throw new DomainException(ErrorCodes.CreationRateLimited,
                    $"{What} are being created too fast, after a warning: at most {limit} within {window}. Try again after {warnedAt + window:u}.");
            }
            // The first creation past the limit: allowed, and the master hears of it first. The warning is delivered
            // before it is recorded, so no creation is ever refused without a warning having been delivered.
            await GrainFactory.GetGrain<IUserGrain>(masterId).Notify(new Notification(
                $"{this.GetPrimaryKeyString()}:warning:{now.UtcTicks}",
                WarningKind,
                $"{What} are being created very fast",
                $"More than {limit} {What.ToLowerInvariant()} were created {Scope} within {window}. Further creations this fast will be refused."));
            State.WarnedAt = now;
        }
        State.Creations.Add(now);
        await guard.WriteStateAsync();
    }

    private bool ForCampaigns => this.GetPrimaryKeyString().StartsWith(CreationGuards.CampaignsPrefix, StringComparison.Ordinal);

    private string What => ForCampaigns ? "Campaigns" : "Ad accounts";

    private string Scope => ForCampaigns
        ? $"in ad account {this.GetPrimaryKeyString()[CreationGuards.CampaignsPrefix.Length..]}"
        : "by you";
}
