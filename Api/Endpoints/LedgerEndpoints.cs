using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/wallets/{walletId}/transactions</c>: the wallet's ledger, whose amounts add up to its balance.</summary>
internal static class LedgerEndpoints
{
    public static void MapLedgerEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/wallets/{walletId:id}/transactions", List)
            .WithTags("Ledger")
            .WithName("ListTransactions")
            .WithSummary("A wallet's ledger entries, newest first")
            .Paged()
            .WithQueryParameter("kind", $"Only entries of this kind: {string.Join(", ", TransactionKinds.All)}.")
            .OnResource();
    }

    private static async Task<Ok<Page<TransactionView>>> List(string walletId, HttpContext http, IGrainFactory grains)
    {
        var query = new QueryReader(http.Request.Query);
        var kind = query.OptionalEnum("kind", TransactionKinds.All);
        var page = query.Page();
        query.ThrowIfInvalid();
        return TypedResults.Ok(await grains.GetGrain<IWalletGrain>(walletId).ListTransactions(http.User.ToCaller(), kind, page));
    }
}
