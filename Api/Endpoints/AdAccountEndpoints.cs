using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/ad-accounts</c>: accounts, their members and agencies, their status, and the campaigns they create.</summary>
internal static class AdAccountEndpoints
{
    public static void MapAdAccountEndpoints(this RouteGroupBuilder v1)
    {
        var accounts = v1.MapGroup("/ad-accounts").WithTags("Ad accounts");

        accounts.MapPost("", Create)
            .WithName("CreateAdAccount")
            .WithSummary("Create an ad account on a wallet the caller is master or member of; the caller becomes its master")
            .AcceptsJson<CreateAdAccount>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        accounts.MapGet("/{adAccountId:id}", Get)
            .WithName("GetAdAccount")
            .WithSummary("An ad account")
            .OnResource();

        accounts.MapPut("/{adAccountId:id}/status", SetStatus)
            .WithName("SetAdAccountStatus")
            .WithSummary("Turn the account ON or OFF by hand (master only)")
            .AcceptsJson<AdAccountStatusBody>()
            .OnResource();

        accounts.MapPost("/{adAccountId:id}/invitations", Invite)
            .WithName("InviteAdAccountMember")
            .WithSummary("Invite a member (master only); past 99 members: 409 member_limit")
            .AcceptsJson<UserIdBody>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        accounts.MapPost("/{adAccountId:id}/invitations/accept", Accept)
            .WithName("AcceptAdAccountInvitation")
            .WithSummary("The invited user accepts")
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        accounts.MapPost("/{adAccountId:id}/invitations/reject", Reject)
            .WithName("RejectAdAccountInvitation")
            .WithSummary("The invited user declines")
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        accounts.MapDelete("/{adAccountId:id}/members/{userId:id}", RemoveMember)
            .WithName("RemoveAdAccountMember")
            .WithSummary("Remove a member (master only)")
            .OnResource();

        accounts.MapPost("/{adAccountId:id}/agency-requests", RequestAgencyRights)
            .WithName("RequestAgencyRights")
            .WithSummary("An agency (the caller) asks for agency rights on the account")
            .OnResource();

        accounts.MapPost("/{adAccountId:id}/agency-requests/{agencyId:id}/accept", (string adAccountId, string agencyId, HttpContext http, IGrainFactory grains) =>
                Decide(adAccountId, agencyId, accept: true, http, grains))
            .WithName("AcceptAgencyRequest")
            .WithSummary("Accept an agency's request (master only)")
            .OnResource();

        accounts.MapPost("/{adAccountId:id}/agency-requests/{agencyId:id}/reject", (string adAccountId, string agencyId, HttpContext http, IGrainFactory grains) =>
                Decide(adAccountId, agencyId, accept: false, http, grains))
            .WithName("RejectAgencyRequest")
            .WithSummary("Reject an agency's request (master only)")
            .OnResource();

        accounts.MapPost("/{adAccountId:id}/campaigns", CreateCampaign)
            .WithName("CreateCampaign")
            .WithSummary("Create a brand-emoticon campaign; running at once unless startsAt lies ahead; a 201st: 409 campaign_limit")
            .AcceptsJson<CreateCampaign>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Created<AdAccountView>> Create(HttpContext http, IGrainFactory grains)
    {
        var command = AdvertisingRequests.CreateAdAccount(await JsonBody.ReadAsync(http.Request));
        var adAccountId = "acc_" + Guid.NewGuid().ToString("N");
        var account = await Account(grains, adAccountId).Create(http.User.ToCaller(), command);
        return TypedResults.Created($"/v1/ad-accounts/{account.Id}", account);
    }

    private static async Task<Ok<AdAccountView>> Get(string adAccountId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Account(grains, adAccountId).Get(http.User.ToCaller()));

    private static async Task<Ok<AdAccountView>> SetStatus(string adAccountId, HttpContext http, IGrainFactory grains)
    {
        var on = AdvertisingRequests.AccountStatus(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await Account(grains, adAccountId).SetStatus(http.User.ToCaller(), on));
    }

    private static async Task<Created<InvitationView>> Invite(string adAccountId, HttpContext http, IGrainFactory grains)
    {
        var userId = UserRequests.UserId(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Created((string?)null, await Account(grains, adAccountId).Invite(http.User.ToCaller(), userId));
    }

    private static async Task<Ok<AdAccountView>> Accept(string adAccountId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Account(grains, adAccountId).AcceptInvitation(http.User.ToCaller()));

    private static async Task<Ok<AdAccountView>> Reject(string adAccountId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Account(grains, adAccountId).RejectInvitation(http.User.ToCaller()));

    private static async Task<NoContent> RemoveMember(string adAccountId, string userId, HttpContext http, IGrainFactory grains)
    {
        await Account(grains, adAccountId).RemoveMember(http.User.ToCaller(), userId);
        return TypedResults.NoContent();
    }

    private static async Task<Created<AgencyRequestView>> RequestAgencyRights(string adAccountId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Created((string?)null, await Account(grains, adAccountId).RequestAgencyRights(http.User.ToCaller()));

    private static async Task<Ok<AdAccountView>> Decide(string adAccountId, string agencyId, bool accept, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Account(grains, adAccountId).DecideAgencyRequest(http.User.ToCaller(), agencyId, accept));

    private static async Task<Created<CampaignView>> CreateCampaign(string adAccountId, HttpContext http, IGrainFactory grains)
    {
        var command = AdvertisingRequests.CreateCampaign(await JsonBody.ReadAsync(http.Request));
        var campaign = await Account(grains, adAccountId).CreateCampaign(http.User.ToCaller(), command);
        return TypedResults.Created($"/v1/campaigns/{campaign.Id}", campaign);
    }

    private static IAdAccountGrain Account(IGrainFactory grains, string adAccountId) => grains.GetGrain<IAdAccountGrain>(adAccountId);
}

/// <summary><c>{ status: "on" | "off" }</c>.</summary>
public sealed record AdAccountStatusBody(string Status);
