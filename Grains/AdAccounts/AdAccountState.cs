using System.Text.Json.Serialization;

namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// An ad account. Its status keeps both switches apart: the master's (<see cref="SwitchedOn"/>) and the wallet's
/// (<see cref="FundingOn"/>); the account is ON only while both allow it.
/// </summary>
public sealed class AdAccountState
{
    public bool Exists { get; set; }

    public string Name { get; set; } = "";

    public string WalletId { get; set; } = "";

    public string MasterId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public List<string> MemberIds { get; set; } = [];

    /// <summary>Users invited as members who have not answered yet.</summary>
    public List<string> InvitedUserIds { get; set; } = [];

    /// <summary>Agencies the master accepted: they use the account as members do.</summary>
    public List<string> AgencyIds { get; set; } = [];

    /// <summary>Agencies waiting for the master's decision.</summary>
    public List<string> AgencyRequests { get; set; } = [];

    public List<string> CampaignIds { get; set; } = [];

    /// <summary>The master's switch: OFF is <c>by_user</c>.</summary>
    public bool SwitchedOn { get; set; } = true;

    /// <summary>What the wallet allows.</summary>
    public bool FundingOn { get; set; } = true;

    public string? FundingOffReason { get; set; }

    /// <summary>A change did not reach every campaign; the campaign-sync reminder tells them again.</summary>
    public bool CampaignsOutOfDate { get; set; }

    [JsonIgnore]
    public bool IsOn => SwitchedOn && FundingOn;

    [JsonIgnore]
    public string? OffReason =>
        !SwitchedOn ? OffReasons.ByUser
        : !FundingOn ? FundingOffReason ?? OffReasons.InsufficientBalance
        : null;

    /// <summary>Who may use the account's campaigns: the master, the members and the accepted agencies.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Users => [MasterId, .. MemberIds, .. AgencyIds.Except(MemberIds)];
}
