using Orleans;
using AdWallet.Grains.Campaigns;
namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// An ad account: one master and at most 99 members (plus agencies the master accepted), linked to one wallet, ON or
/// OFF with a reason, holding at most 200 campaigns.
/// </summary>
[Alias("adwallet.IAdAccountGrain")]
public interface IAdAccountGrain : IGrainWithStringKey
{
    /// <summary>The caller must be the master or a member of the wallet; they become the account's master.</summary>
    [Alias("Create")]
    Task<AdAccountView> Create(Caller caller, CreateAdAccount command);

    [Alias("Get")]
    Task<AdAccountView> Get(Caller caller);

    /// <summary>Master only. Past 99 members (counting pending invitations): <c>member_limit</c>.</summary>
    [Alias("Invite")]
    Task<InvitationView> Invite(Caller caller, string userId);

    /// <summary>The invited user accepts.</summary>
    [Alias("AcceptInvitation")]
    Task<AdAccountView> AcceptInvitation(Caller caller);

    /// <summary>The invited user declines.</summary>
    [Alias("RejectInvitation")]
    Task<AdAccountView> RejectInvitation(Caller caller);

    /// <summary>Master only.</summary>
    [Alias("RemoveMember")]
    Task RemoveMember(Caller caller, string userId);

    /// <summary>An agency (the caller) asks for agency rights on the account.</summary>
    [Alias("RequestAgencyRights")]
    Task<AgencyRequestView> RequestAgencyRights(Caller caller);

    /// <summary>Master only: accepts or rejects an agency's request.</summary>
    [Alias("DecideAgencyRequest")]
    Task<AdAccountView> DecideAgencyRequest(Caller caller, string agencyId, bool accept);

    /// <summary>
    /// Master only: the user's own switch (OFF shows <c>by_user</c>). Switching ON while the wallet keeps the account
    /// OFF is accepted, and the account stays OFF with the wallet's reason until the money is back.
    /// </summary>
    [Alias("SetStatus")]
    Task<AdAccountView> SetStatus(Caller caller, bool on);

    /// <summary>Master, members and agencies. At most 200 campaigns.</summary>
    [Alias("CreateCampaign")]
    Task<CampaignView> CreateCampaign(Caller caller, CreateCampaign command);

    /// <summary>
    /// True for the master and the members (not agencies, not the invited): the wallet asks, since every member of an
    /// ad account may charge the account's wallet (seed 003).
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    [Alias("IsMember")]
    Task<bool> IsMember(string userId);

    /// <summary>Called by the wallet when its money allows spending again, or no longer does.</summary>
    [Alias("SetFundingStatus")]
    Task SetFundingStatus(FundingStatus status);
}

[GenerateSerializer, Alias("adwallet.CreateAdAccount")]
public sealed record CreateAdAccount([property: Id(0)] string Name, [property: Id(1)] string WalletId);

/// <param name="Status"><c>on</c> or <c>off</c>.</param>
/// <param name="OffReason">null, <c>insufficient_balance</c>, <c>daily_limit</c> or <c>by_user</c>.</param>
[GenerateSerializer, Alias("adwallet.AdAccountView")]
public sealed record AdAccountView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string WalletId,
    [property: Id(3)] string MasterId,
    [property: Id(4)] IReadOnlyList<string> MemberIds,
    [property: Id(5)] string Status,
    [property: Id(6)] string? OffReason,
    [property: Id(7)] IReadOnlyList<string> CampaignIds,
    [property: Id(8)] IReadOnlyList<string> AgencyIds,
    [property: Id(9)] IReadOnlyList<string> InvitedUserIds);

[GenerateSerializer, Alias("adwallet.InvitationView")]
public sealed record InvitationView([property: Id(0)] string AdAccountId, [property: Id(1)] string UserId, [property: Id(2)] string Status);

[GenerateSerializer, Alias("adwallet.AgencyRequestView")]
public sealed record AgencyRequestView([property: Id(0)] string AdAccountId, [property: Id(1)] string AgencyId, [property: Id(2)] string Status);

/// <summary>What the wallet allows: spending, or not and why (<c>insufficient_balance</c> or <c>daily_limit</c>).</summary>
[GenerateSerializer, Alias("adwallet.FundingStatus")]
public sealed record FundingStatus([property: Id(0)] bool On, [property: Id(1)] string? OffReason)
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
