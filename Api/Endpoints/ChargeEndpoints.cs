using AdWallet.Api.Auth;
using AdWallet.Api.Idempotency;
using AdWallet.Api.Requests;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/wallets/{walletId}/charges</c>: top-ups through the payment gateway, and their history.</summary>
internal static class ChargeEndpoints
{
    public const string Operation = "charge";

    public static void MapChargeEndpoints(this RouteGroupBuilder v1)
    {
        var charges = v1.MapGroup("/wallets/{walletId:id}/charges").WithTags("Charges");

        charges.MapPost("", Charge)
            .WithName("ChargeWallet")
            .WithSummary("Top up a wallet: 201 succeeded, 202 pending, 402 declined")
            .AcceptsJson<ChargeCommand>()
            .RequiresIdempotencyKey()
            .Produces<ChargeView>(StatusCodes.Status402PaymentRequired)
            .OnResource();

        charges.MapGet("", List)
            .WithName("ListCharges")
            .WithSummary("A wallet's charges, newest first")
            .Paged()
            .OnResource();

        charges.MapGet("/{chargeId:id}", Get)
            .WithName("GetCharge")
            .WithSummary("A charge, with how much of it was refunded")
            .OnResource();
    }

    private static async Task<Results<Created<ChargeView>, Accepted<ChargeView>, JsonHttpResult<ChargeView>>> Charge(
        string walletId, HttpContext http, IGrainFactory grains)
    {
        var key = IdempotencyHeaders.Read(http.Request);
        var command = MoneyRequests.Charge(await JsonBody.ReadAsync(http.Request));
        var outcome = await grains.GetGrain<IWalletGrain>(walletId)
            .Charge(http.User.ToCaller(), command, IdempotencyHeaders.For(http, key, Operation, command));
        return ResultFor(walletId, IdempotencyHeaders.Unwrap(http.Response, outcome));
    }

    /// <summary>
    /// The answer follows from the charge alone, so a replay answers as the original did. A declined charge is an
    /// answer, not a problem: the charge object with its <c>code</c>, status 402.
    /// </summary>
    public static Results<Created<ChargeView>, Accepted<ChargeView>, JsonHttpResult<ChargeView>> ResultFor(string walletId, ChargeView charge)
    {
        var location = $"/v1/wallets/{walletId}/charges/{Uri.EscapeDataString(charge.Id)}";
        return charge.Status switch
        {
            "succeeded" => TypedResults.Created(location, charge),
            "pending" => TypedResults.Accepted(location, charge with { Code = charge.Code ?? ErrorCodes.PaymentPending }),
            "failed" => TypedResults.Json(charge, statusCode: StatusCodes.Status402PaymentRequired),
            _ => throw new InvalidOperationException($"Charge {charge.Id} has an unknown status '{charge.Status}'."),
        };
    }

    private static async Task<Ok<ChargeView>> Get(string walletId, string chargeId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IWalletGrain>(walletId).GetCharge(http.User.ToCaller(), chargeId));

    private static async Task<Ok<Page<ChargeView>>> List(string walletId, HttpContext http, IGrainFactory grains)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        query.ThrowIfInvalid();
        return TypedResults.Ok(await grains.GetGrain<IWalletGrain>(walletId).ListCharges(http.User.ToCaller(), page));
    }
}
