using AdWallet.Grains.Campaigns;
using Granary;

namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// An ad account: one master and at most 99 members (plus agencies the master accepted), linked to one wallet, ON or
/// OFF with a reason, holding at most 200 campaigns.
/// </summary>
public interface IAdAccountGrain : IGrainWithStringKey
{
    /// <summary>The caller must be the master or a member of the wallet; they become the account's master.</summary>
    Task<AdAccountView> Create(Caller caller, CreateAdAccount command);

    Task<AdAccountView> Get(Caller caller);

    /// <summary>Master only. Past 99 members (counting pending invitations): <c>member_limit</c>.</summary>
    Task<InvitationView> Invite(Caller caller, string userId);

    /// <summary>The invited user accepts.</summary>
    Task<AdAccountView> AcceptInvitation(Caller caller);

    /// <summary>The invited user declines.</summary>
    Task<AdAccountView> RejectInvitation(Caller caller);

    /// <summary>Master only.</summary>
    Task RemoveMember(Caller caller, string userId);

    /// <summary>An agency (the caller) asks for agency rights on the account.</summary>
    Task<AgencyRequestView> RequestAgencyRights(Caller caller);

    /// <summary>Master only: accepts or rejects an agency's request.</summary>
    Task<AdAccountView> DecideAgencyRequest(Caller caller, string agencyId, bool accept);

    /// <summary>
    /// Master only: the user's own switch (OFF shows <c>by_user</c>). Switching ON while the wallet keeps the account
    /// OFF is accepted, and the account stays OFF with the wallet's reason until the money is back.
    /// </summary>
    Task<AdAccountView> SetStatus(Caller caller, bool on);

    /// <summary>Master, members and agencies. At most 200 campaigns.</summary>
    Task<CampaignView> CreateCampaign(Caller caller, CreateCampaign command);

    /// <summary>Called by the wallet when its money allows spending again, or no longer does.</summary>
    Task SetFundingStatus(FundingStatus status);
}

public sealed record CreateAdAccount(string Name, string WalletId);

/// <param name="Status"><c>on</c> or <c>off</c>.</param>
/// <param name="OffReason">null, <c>insufficient_balance</c>, <c>daily_limit</c> or <c>by_user</c>.</param>
public sealed record AdAccountView(
    string Id,
    string Name,
    string WalletId,
    string MasterId,
    IReadOnlyList<string> MemberIds,
    string Status,
    string? OffReason,
    IReadOnlyList<string> CampaignIds,
    IReadOnlyList<string> AgencyIds,
    IReadOnlyList<string> InvitedUserIds);

public sealed record InvitationView(string AdAccountId, string UserId, string Status);

public sealed record AgencyRequestView(string AdAccountId, string AgencyId, string Status);

/// <summary>What the wallet allows: spending, or not and why (<c>insufficient_balance</c> or <c>daily_limit</c>).</summary>
public sealed record FundingStatus(bool On, string? OffReason)
{
    public static readonly FundingStatus Funded = new(true, null);
}

public static class AdAccountStatuses
{
    public const string On = "on";
    public const string Off = "off";
}

/// <summary>The status of an <see cref="InvitationView"/> or an <see cref="AgencyRequestView"/>.</summary>
public static class InvitationStatuses
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
}

public static class OffReasons
{
    public const string InsufficientBalance = "insufficient_balance";
    public const string DailyLimit = "daily_limit";
    public const string ByUser = "by_user";
}

public static class AdAccountLimits
{
    public const int MaximumMembers = 99;
    public const int MaximumCampaigns = 200;
}
