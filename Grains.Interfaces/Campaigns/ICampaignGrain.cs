using Orleans.Concurrency;
using Orleans;

namespace AdWallet.Grains.Campaigns;

/// <summary>
/// A brand-emoticon campaign: a budget fixed at creation, spent a price per participation (a user counts once), that
/// ends itself when what is left is below the price or its end time passes. Spend accrues here and settles to the
/// wallet in batches.
/// </summary>
[Alias("adwallet.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Called by the ad account, which has checked the caller and its limits.</summary>
    [Alias("Create")]
    Task<CampaignView> Create(CampaignSetup setup);

    /// <summary>Master, members and agencies of the campaign's ad account.</summary>
    [Alias("Get")]
    Task<CampaignView> Get(Caller caller);

    /// <summary>Name, budget (only before it runs: <c>budget_locked</c>) and end time.</summary>
    [Alias("Update")]
    Task<CampaignView> Update(Caller caller, UpdateCampaign command);

    [Alias("ReplaceCreative")]
    Task<CampaignView> ReplaceCreative(Caller caller, string creativeId);

    [Alias("Stop")]
    Task<CampaignView> Stop(Caller caller);

    /// <summary>A user downloaded the emoticon. A repeat by the same user answers the first answer and costs nothing.</summary>
    [Alias("Participate")]
    Task<ParticipationResult> Participate(Caller caller, Participation participation);

    /// <summary>Called by the ad account: who may use the campaign (its master, members and agencies).</summary>
    [AlwaysInterleave]
    [Alias("SetAccess")]
    Task SetAccess(IReadOnlyList<string> userIds);

    /// <summary>Called by the ad account when it turns OFF or ON: the campaign pauses or resumes.</summary>
    [AlwaysInterleave]
    [Alias("SetAccountOn")]
    Task SetAccountOn(bool on);

    /// <summary>Settles accrued spend to the wallet now; returns what is still unsettled (0 once settled).</summary>
    [Alias("SettleNow")]
    Task<long> SettleNow();
}

/// <summary>What a new campaign starts with; the ad account fills in where it belongs.</summary>
[GenerateSerializer, Alias("adwallet.CampaignSetup")]
public sealed record CampaignSetup(
    [property: Id(0)] string AdAccountId,
    [property: Id(1)] string WalletId,
    [property: Id(2)] bool AccountOn,
    [property: Id(3)] IReadOnlyList<string> AccessUserIds,
    [property: Id(4)] CreateCampaign Command);

/// <param name="Kind"><c>emoticon</c> or <c>emoticon_coupon</c>.</param>
[GenerateSerializer, Alias("adwallet.CreateCampaign")]
public sealed record CreateCampaign(
    [property: Id(0)] string Name,
    [property: Id(1)] string Kind,
    [property: Id(2)] long Budget,
    [property: Id(3)] long PricePerParticipation,
    [property: Id(4)] DateTimeOffset? StartsAt = null,
    [property: Id(5)] DateTimeOffset? EndsAt = null,
    [property: Id(6)] string? CreativeId = null);

/// <summary>Only the fields given change.</summary>
[GenerateSerializer, Alias("adwallet.UpdateCampaign")]
public sealed record UpdateCampaign([property: Id(0)] string? Name = null, [property: Id(1)] long? Budget = null, [property: Id(2)] DateTimeOffset? EndsAt = null);

/// <param name="Phone">The user's phone number with its country code, e.g. <c>+821012345678</c>.</param>
[GenerateSerializer, Alias("adwallet.Participation")]
public sealed record Participation([property: Id(0)] string UserId, [property: Id(1)] string Phone);

/// <param name="Replayed">True when the user had participated already: the first answer, nothing charged.</param>
[GenerateSerializer, Alias("adwallet.ParticipationResult")]
public sealed record ParticipationResult([property: Id(0)] bool Accepted, [property: Id(1)] long Spent, [property: Id(2)] long Remaining, [property: Id(3)] bool Replayed);

/// <param name="Status"><c>scheduled</c>, <c>running</c>, <c>paused</c> or <c>ended</c>.</param>
/// <param name="EndReason">null, <c>budget_exhausted</c>, <c>end_time</c> or <c>stopped</c>.</param>
[GenerateSerializer, Alias("adwallet.CampaignView")]
public sealed record CampaignView(
    [property: Id(0)] string Id,
    [property: Id(1)] string AdAccountId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Kind,
    [property: Id(4)] long Budget,
    [property: Id(5)] long PricePerParticipation,
    [property: Id(6)] long Spent,
    [property: Id(7)] long Participations,
    [property: Id(8)] string Status,
    [property: Id(9)] string? EndReason,
    [property: Id(10)] DateTimeOffset? StartsAt,
    [property: Id(11)] DateTimeOffset? EndsAt,
    [property: Id(12)] string? CreativeId);

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
