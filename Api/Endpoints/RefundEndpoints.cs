using AdWallet.Api.Auth;
using AdWallet.Api.Idempotency;
using AdWallet.Api.Requests;
using AdWallet.Grains.Wallets;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/wallets/{walletId}/refunds</c>: unused paid cash back to where it came from.</summary>
internal static class RefundEndpoints
{
    public const string Operation = "refund";

    public static void MapRefundEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/wallets/{walletId:id}/refunds", Refund)
            .WithTags("Refunds")
            .WithName("RefundCharge")
            .WithSummary("Refund a charge, all of its unused part unless an amount is given")
            .AcceptsJson<RefundCommand>()
            .RequiresIdempotencyKey()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Created<RefundView>> Refund(string walletId, HttpContext http, IGrainFactory grains)
    {
        var key = IdempotencyHeaders.Read(http.Request);
        var command = MoneyRequests.Refund(await JsonBody.ReadAsync(http.Request));
        var outcome = await grains.GetGrain<IWalletGrain>(walletId)
            .Refund(http.User.ToCaller(), command, IdempotencyHeaders.For(http, key, Operation, command));
        return TypedResults.Created((string?)null, IdempotencyHeaders.Unwrap(http.Response, outcome));
    }
}
