using Granary;

namespace AdWallet.Grains.Campaigns;

/// <summary>
/// A brand-emoticon campaign: a budget fixed at creation, spent a price per participation (a user counts once), that
/// ends itself when what is left is below the price or its end time passes. Spend accrues here and settles to the
/// wallet in batches.
/// </summary>
public interface ICampaignGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Called by the ad account, which has checked the caller and its limits.</summary>
    Task<CampaignView> Create(CampaignSetup setup);

    /// <summary>Master, members and agencies of the campaign's ad account.</summary>
    Task<CampaignView> Get(Caller caller);

    /// <summary>Name, budget (only before it runs: <c>budget_locked</c>) and end time.</summary>
    Task<CampaignView> Update(Caller caller, UpdateCampaign command);

    Task<CampaignView> ReplaceCreative(Caller caller, string creativeId);

    Task<CampaignView> Stop(Caller caller);

    /// <summary>A user downloaded the emoticon. A repeat by the same user answers the first answer and costs nothing.</summary>
    Task<ParticipationResult> Participate(Caller caller, Participation participation);

    /// <summary>Called by the ad account: who may use the campaign (its master, members and agencies).</summary>
    [AlwaysInterleave]
    Task SetAccess(IReadOnlyList<string> userIds);

    /// <summary>Called by the ad account when it turns OFF or ON: the campaign pauses or resumes.</summary>
    [AlwaysInterleave]
    Task SetAccountOn(bool on);

    /// <summary>Settles accrued spend to the wallet now; returns what is still unsettled (0 once settled).</summary>
    Task<long> SettleNow();
}

/// <summary>What a new campaign starts with; the ad account fills in where it belongs.</summary>
public sealed record CampaignSetup(
    string AdAccountId,
    string WalletId,
    bool AccountOn,
    IReadOnlyList<string> AccessUserIds,
    CreateCampaign Command);

/// <param name="Kind"><c>emoticon</c> or <c>emoticon_coupon</c>.</param>
public sealed record CreateCampaign(
    string Name,
    string Kind,
    long Budget,
    long PricePerParticipation,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null,
    string? CreativeId = null);

/// <summary>Only the fields given change.</summary>
public sealed record UpdateCampaign(string? Name = null, long? Budget = null, DateTimeOffset? EndsAt = null);

/// <param name="Phone">The user's phone number with its country code, e.g. <c>+821012345678</c>.</param>
public sealed record Participation(string UserId, string Phone);

/// <param name="Replayed">True when the user had participated already: the first answer, nothing charged.</param>
public sealed record ParticipationResult(bool Accepted, long Spent, long Remaining, bool Replayed);

/// <param name="Status"><c>scheduled</c>, <c>running</c>, <c>paused</c> or <c>ended</c>.</param>
/// <param name="EndReason">null, <c>budget_exhausted</c>, <c>end_time</c> or <c>stopped</c>.</param>
public sealed record CampaignView(
    string Id,
    string AdAccountId,
    string Name,
    string Kind,
    long Budget,
    long PricePerParticipation,
    long Spent,
    long Participations,
    string Status,
    string? EndReason,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? CreativeId);

public static class CampaignKinds
{
    public const string Emoticon = "emoticon";
    public const string EmoticonCoupon = "emoticon_coupon";

    public static readonly IReadOnlyList<string> All = [Emoticon, EmoticonCoupon];
}

public static class CampaignStatuses
{
    public const string Scheduled = "scheduled";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Ended = "ended";
}

public static class EndReasons
{
    public const string BudgetExhausted = "budget_exhausted";
    public const string EndTime = "end_time";
    public const string Stopped = "stopped";
}
