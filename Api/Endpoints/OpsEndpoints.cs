using AdWallet.Api.Auth;
using AdWallet.Api.Idempotency;
using AdWallet.Api.Requests;
using AdWallet.Grains.Wallets;
using Granary;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/ops</c>: operator endpoints. The group requires the operator role; others get 403.</summary>
internal static class OpsEndpoints
{
    public const string GrantFreeCashOperation = "grant_free_cash";

    public static void MapOpsEndpoints(this RouteGroupBuilder ops)
    {
        ops.MapPost("/wallets/{walletId:id}/free-cash", GrantFreeCash)
            .WithTags("Operations")
            .WithName("GrantFreeCash")
            .WithSummary("Grant promotional cash to a wallet, spent first and removed at its expiry")
            .AcceptsJson<GrantFreeCash>()
            .RequiresIdempotencyKey()
            .OnResource();
    }

    private static async Task<Created<FreeCashGrantView>> GrantFreeCash(string walletId, HttpContext http, IGrainFactory grains)
    {
        var key = IdempotencyHeaders.Read(http.Request);
        var command = MoneyRequests.GrantFreeCash(await JsonBody.ReadAsync(http.Request));
        var outcome = await grains.GetGrain<IWalletGrain>(walletId)
            .GrantFreeCash(http.User.ToCaller(), command, IdempotencyHeaders.For(http, key, GrantFreeCashOperation, command));
        return TypedResults.Created((string?)null, IdempotencyHeaders.Unwrap(http.Response, outcome));
    }
}
