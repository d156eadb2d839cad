using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains.Campaigns;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/campaigns</c>: a campaign, its budget and creative, stopping it, and the participations that spend it.</summary>
internal static class CampaignEndpoints
{
    public static void MapCampaignEndpoints(this RouteGroupBuilder v1)
    {
        var campaigns = v1.MapGroup("/campaigns").WithTags("Campaigns");

        campaigns.MapGet("/{campaignId:id}", Get)
            .WithName("GetCampaign")
            .WithSummary("A campaign")
            .OnResource();

        campaigns.MapPatch("/{campaignId:id}", Update)
            .WithName("UpdateCampaign")
            .WithSummary("Change the name, the end time, or the budget before the campaign runs (then: 409 budget_locked)")
            .AcceptsJson<UpdateCampaign>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        campaigns.MapPut("/{campaignId:id}/creative", ReplaceCreative)
            .WithName("ReplaceCampaignCreative")
            .WithSummary("Replace the creative, also while the campaign runs")
            .AcceptsJson<CreativeBody>()
            .OnResource();

        campaigns.MapPost("/{campaignId:id}/stop", Stop)
            .WithName("StopCampaign")
            .WithSummary("End the campaign now (ended, stopped)")
            .OnResource();

        campaigns.MapPost("/{campaignId:id}/participations", Participate)
            .WithName("Participate")
            .WithSummary("A user downloaded the emoticon: 201 once per user, 200 with the first answer after that")
            .AcceptsJson<Participation>()
            .Produces<ParticipationAnswer>(StatusCodes.Status200OK)
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Ok<CampaignView>> Get(string campaignId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Campaign(grains, campaignId).Get(http.User.ToCaller()));

    private static async Task<Ok<CampaignView>> Update(string campaignId, HttpContext http, IGrainFactory grains)
    {
        var command = AdvertisingRequests.UpdateCampaign(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await Campaign(grains, campaignId).Update(http.User.ToCaller(), command));
    }

    private static async Task<Ok<CampaignView>> ReplaceCreative(string campaignId, HttpContext http, IGrainFactory grains)
    {
        var creativeId = AdvertisingRequests.Creative(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await Campaign(grains, campaignId).ReplaceCreative(http.User.ToCaller(), creativeId));
    }

    private static async Task<Ok<CampaignView>> Stop(string campaignId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Campaign(grains, campaignId).Stop(http.User.ToCaller()));

    private static async Task<Results<Created<ParticipationAnswer>, Ok<ParticipationAnswer>>> Participate(
        string campaignId, HttpContext http, IGrainFactory grains)
    {
        var participation = AdvertisingRequests.Participation(await JsonBody.ReadAsync(http.Request));
        var result = await Campaign(grains, campaignId).Participate(http.User.ToCaller(), participation);
        var answer = new ParticipationAnswer(result.Accepted, result.Spent, result.Remaining);
        return result.Replayed ? TypedResults.Ok(answer) : TypedResults.Created((string?)null, answer);
    }

    private static ICampaignGrain Campaign(IGrainFactory grains, string campaignId) => grains.GetGrain<ICampaignGrain>(campaignId);
}

/// <summary>The API reference's answer to a participation: <c>{ accepted, spent, remaining }</c>.</summary>
public sealed record ParticipationAnswer(bool Accepted, long Spent, long Remaining);

/// <summary><c>{ creativeId }</c>.</summary>
public sealed record CreativeBody(string CreativeId);
