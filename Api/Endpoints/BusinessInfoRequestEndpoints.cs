using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains;
using AdWallet.Grains.BusinessInfo;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary>
/// Business-information change requests (seed 001): the wallet master asks under <c>/v1/wallets</c>, operators list
/// and decide under <c>/v1/ops</c>.
/// </summary>
internal static class BusinessInfoRequestEndpoints
{
    private const string Tag = "Business information";

    public static void MapBusinessInfoRequestEndpoints(this RouteGroupBuilder v1)
    {
        var requests = v1.MapGroup("/wallets/{walletId:id}/business-info-requests").WithTags(Tag);

        requests.MapPost("", Request)
            .WithName("RequestBusinessInfoChange")
            .WithSummary("Ask operators to change the business registration number or name (wallet master, business wallets)")
            .AcceptsJson<BusinessInfoChange>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        requests.MapGet("", List)
            .WithName("ListBusinessInfoRequests")
            .WithSummary("The wallet's open and recently decided business-information requests (wallet master)")
            .Paged()
            .OnResource();
    }

    public static void MapBusinessInfoReviewEndpoints(this RouteGroupBuilder ops)
    {
        var review = ops.MapGroup("/business-info-requests").WithTags(Tag);

        review.MapGet("", ListPending)
            .WithName("ListPendingBusinessInfoRequests")
            .WithSummary("The business-information requests waiting for an operator, newest first")
            .Paged();

        review.MapPost("/{requestId:id}/approve", Approve)
            .WithName("ApproveBusinessInfoRequest")
            .WithSummary("Approve a request and apply it to its wallet; approving again changes nothing")
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        review.MapPost("/{requestId:id}/reject", Reject)
            .WithName("RejectBusinessInfoRequest")
            .WithSummary("Reject a request; rejecting again changes nothing")
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Created<BusinessInfoRequestView>> Request(string walletId, HttpContext http, IGrainFactory grains)
    {
        var change = BusinessInfoRequests.Change(await JsonBody.ReadAsync(http.Request));
        var request = await Requests(grains, walletId).Request(http.User.ToCaller(), change);
        return TypedResults.Created($"/v1/wallets/{walletId}/business-info-requests", request);
    }

    private static async Task<Ok<Page<BusinessInfoRequestView>>> List(string walletId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Requests(grains, walletId).List(http.User.ToCaller(), ReadPage(http)));

    private static async Task<Ok<Page<BusinessInfoRequestView>>> ListPending(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IBusinessInfoReviewGrain>(BusinessInfoReview.Key).ListPending(ReadPage(http)));

    private static Task<Ok<BusinessInfoRequestView>> Approve(string requestId, HttpContext http, IGrainFactory grains) =>
        Decide(requestId, approve: true, http, grains);

    private static Task<Ok<BusinessInfoRequestView>> Reject(string requestId, HttpContext http, IGrainFactory grains) =>
        Decide(requestId, approve: false, http, grains);

    private static async Task<Ok<BusinessInfoRequestView>> Decide(string requestId, bool approve, HttpContext http, IGrainFactory grains)
    {
        // The id names its wallet; one that does not cannot exist.
        if (!BusinessInfoRequestIds.TryParse(requestId, out var walletId, out _))
            throw DomainException.NotFound($"Business-information request {requestId}");
        return TypedResults.Ok(await Requests(grains, walletId).Decide(http.User.ToCaller(), requestId, approve));
    }

    private static PageRequest ReadPage(HttpContext http)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        query.ThrowIfInvalid();
        return page;
    }

    private static IBusinessInfoRequestsGrain Requests(IGrainFactory grains, string walletId) =>
        grains.GetGrain<IBusinessInfoRequestsGrain>(walletId);
}
