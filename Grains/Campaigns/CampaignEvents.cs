using System.Text.Json.Serialization;

namespace AdWallet.Grains.Campaigns;

/// <summary>
/// What happened to a campaign. The campaign's journal is these events; its state is their projection
/// (<see cref="CampaignState.Apply"/>). Spend is the count of accepted participations times the price; settlements
/// move it to the wallet.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(CampaignCreated), "campaign_created")]
[JsonDerivedType(typeof(CampaignRenamed), "campaign_renamed")]
[JsonDerivedType(typeof(BudgetChanged), "budget_changed")]
[JsonDerivedType(typeof(EndTimeChanged), "end_time_changed")]
[JsonDerivedType(typeof(CreativeReplaced), "creative_replaced")]
[JsonDerivedType(typeof(CampaignStarted), "campaign_started")]
[JsonDerivedType(typeof(CampaignEnded), "campaign_ended")]
[JsonDerivedType(typeof(AccessChanged), "access_changed")]
[JsonDerivedType(typeof(AccountStatusChanged), "account_status_changed")]
[JsonDerivedType(typeof(ParticipationAccepted), "participation_accepted")]
[JsonDerivedType(typeof(SettlementStarted), "settlement_started")]
[JsonDerivedType(typeof(SettlementCompleted), "settlement_completed")]
public abstract record CampaignEvent(DateTimeOffset At);

/// <param name="Started">True when it runs from creation (no start time, or one already past).</param>
public sealed record CampaignCreated(
    DateTimeOffset At,
    string AdAccountId,
    string WalletId,
    string Name,
    string Kind,
    long Budget,
    long PricePerParticipation,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? CreativeId,
    bool AccountOn,
    IReadOnlyList<string> AccessUserIds,
    bool Started) : CampaignEvent(At);

public sealed record CampaignRenamed(DateTimeOffset At, string Name) : CampaignEvent(At);

public sealed record BudgetChanged(DateTimeOffset At, long Budget) : CampaignEvent(At);

public sealed record EndTimeChanged(DateTimeOffset At, DateTimeOffset EndsAt) : CampaignEvent(At);

public sealed record CreativeReplaced(DateTimeOffset At, string CreativeId) : CampaignEvent(At);

public sealed record CampaignStarted(DateTimeOffset At) : CampaignEvent(At);

/// <param name="Reason"><see cref="EndReasons"/>.</param>
public sealed record CampaignEnded(DateTimeOffset At, string Reason) : CampaignEvent(At);

/// <summary>Who may use the campaign now: the ad account's master, members and agencies.</summary>
public sealed record AccessChanged(DateTimeOffset At, IReadOnlyList<string> UserIds) : CampaignEvent(At);

/// <summary>The ad account turned ON or OFF: a running campaign resumes or pauses.</summary>
public sealed record AccountStatusChanged(DateTimeOffset At, bool On) : CampaignEvent(At);

/// <param name="Ordinal">The participation's number, 1, 2, 3...: the spend after it is <c>Ordinal × price</c>.</param>
public sealed record ParticipationAccepted(DateTimeOffset At, string UserId, long Ordinal) : CampaignEvent(At);

/// <summary>
/// The intent to take <see cref="Amount"/> from the wallet as settlement <see cref="Sequence"/>, stored before the
/// wallet is asked. Until it is completed, the next settlement retries exactly this one; the wallet takes a sequence once.
/// </summary>
public sealed record SettlementStarted(DateTimeOffset At, long Sequence, long Amount) : CampaignEvent(At);

/// <summary>The wallet took the settlement.</summary>
public sealed record SettlementCompleted(DateTimeOffset At, long Sequence) : CampaignEvent(At);
