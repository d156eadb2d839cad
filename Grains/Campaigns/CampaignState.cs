using AdWallet.Persistence;
using System.Text.Json.Serialization;
using Orleans;
using Orleans.Runtime;

namespace AdWallet.Grains.Campaigns;

/// <summary>
/// A campaign as its events made it. Every change happens in <see cref="Apply"/>, which is also how the state is
/// rebuilt after a restart.
/// </summary>
/// <remarks>
/// Memory is bounded: participants, one per user however many there are, are items in storage, not state.
/// Spend is not a stored number that could drift: it is <see cref="Participations"/> × <see cref="Price"/>, and a
/// participation is only raised when the budget left covers the price, so spend never exceeds the budget.
/// </remarks>
public sealed class CampaignState : IJournalProjection<CampaignEvent>, IItemizedProjection
{
    public bool Exists { get; set; }

    public string AdAccountId { get; set; } = "";

    public string WalletId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";

    public long Budget { get; set; }

    public long Price { get; set; }

    public DateTimeOffset? StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    public string? CreativeId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary><see cref="CampaignStatuses.Scheduled"/>, <see cref="CampaignStatuses.Running"/> or <see cref="CampaignStatuses.Ended"/>; paused is running with the account OFF.</summary>
    public string Phase { get; set; } = CampaignStatuses.Scheduled;

    public string? EndReason { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public bool AccountOn { get; set; }

    public HashSet<string> AccessUserIds { get; set; } = [];

    /// <summary>The collection of participant items: each participant and the ordinal of their participation, in storage.</summary>
    public const string ParticipantItems = "participant";

    private readonly List<StateItem> _changed = [];

    public long Participations { get; set; }

    /// <summary>Spend the wallet has taken (completed settlements).</summary>
    public long Settled { get; set; }

    /// <summary>The sequence of the last settlement started.</summary>
    public long LastSettlementSequence { get; set; }

    /// <summary>A settlement started and not yet completed: the next one retries it as it is.</summary>
    public PendingSettlement? PendingSettlement { get; set; }

    [JsonIgnore]
    public long Spent => Participations * Price;

    [JsonIgnore]
    public long Remaining => Budget - Spent;

    /// <summary>Spend the wallet has not taken yet, including a settlement in progress.</summary>
    [JsonIgnore]
    public long Unsettled => Spent - Settled;

    /// <summary>Spend no settlement has claimed yet.</summary>
    [JsonIgnore]
    public long Unclaimed => Unsettled - (PendingSettlement?.Amount ?? 0);

    [JsonIgnore]
    public bool IsEnded => Phase == CampaignStatuses.Ended;

    [JsonIgnore]
    public string Status => Phase == CampaignStatuses.Running && !AccountOn ? CampaignStatuses.Paused : Phase;

    IReadOnlyList<StateItem> IItemizedProjection.TakeChangedItems()
    {
        var changed = _changed.ToArray();
        _changed.Clear();
        return changed;
    }

    public void Apply(CampaignEvent entry)
    {
        switch (entry)
        {
            case CampaignCreated created:
                Exists = true;
                AdAccountId = created.AdAccountId;
                WalletId = created.WalletId;
                Name = created.Name;
                Kind = created.Kind;
                Budget = created.Budget;
                Price = created.PricePerParticipation;
                StartsAt = created.StartsAt;
                EndsAt = created.EndsAt;
                CreativeId = created.CreativeId;
                AccountOn = created.AccountOn;
                AccessUserIds = [.. created.AccessUserIds];
                Phase = created.Started ? CampaignStatuses.Running : CampaignStatuses.Scheduled;
                CreatedAt = created.At;
                break;
            case CampaignRenamed renamed:
                Name = renamed.Name;
                break;
            case BudgetChanged budget:
                Budget = budget.Budget;
                break;
            case EndTimeChanged endTime:
                EndsAt = endTime.EndsAt;
                break;
            case CreativeReplaced creative:
                CreativeId = creative.CreativeId;
                break;
            case CampaignStarted:
                if (Phase == CampaignStatuses.Scheduled) Phase = CampaignStatuses.Running;
                break;
            case CampaignEnded ended:
                if (IsEnded) break;
                Phase = CampaignStatuses.Ended;
                EndReason = ended.Reason;
                EndedAt = ended.At;
                break;
            case AccessChanged access:
                AccessUserIds = [.. access.UserIds];
                break;
            case AccountStatusChanged status:
                AccountOn = status.On;
                break;
            case ParticipationAccepted participation:
                _changed.Add(new StateItem(ParticipantItems, participation.UserId, participation.Ordinal, new Participant(participation.Ordinal)));
                Participations = participation.Ordinal;
                break;
            case SettlementStarted started:
                LastSettlementSequence = started.Sequence;
                PendingSettlement = new PendingSettlement { Sequence = started.Sequence, Amount = started.Amount };
                break;
            case SettlementCompleted completed:
                if (PendingSettlement?.Sequence != completed.Sequence) break;
                Settled += PendingSettlement.Amount;
                PendingSettlement = null;
                break;
        }
    }
}

/// <summary>A participant, as stored: the ordinal of their participation, which is also its answer.</summary>
public sealed record Participant(long Ordinal);

public sealed class PendingSettlement
{
    public long Sequence { get; set; }

    public long Amount { get; set; }
}
