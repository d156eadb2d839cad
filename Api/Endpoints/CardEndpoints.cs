using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary>A wallet's cards (a primary and up to two backups) and its auto-pay.</summary>
internal static class CardEndpoints
{
    public static void MapCardEndpoints(this RouteGroupBuilder v1)
    {
        var wallet = v1.MapGroup("/wallets/{walletId:id}").WithTags("Cards and auto-pay");

        wallet.MapPost("/cards", AddCard)
            .WithName("AddCard")
            .WithSummary("Register a card; the first is primary, a fourth is refused")
            .AcceptsJson<AddCard>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        wallet.MapPost("/cards/{cardId:id}/primary", MakePrimary)
            .WithName("MakeCardPrimary")
            .WithSummary("Make a card the primary one")
            .OnResource();

        wallet.MapDelete("/cards/{cardId:id}", RemoveCard)
            .WithName("RemoveCard")
            .WithSummary("Remove a card")
            .OnResource();

        wallet.MapPut("/auto-pay", SetAutoPay)
            .WithName("SetAutoPay")
            .WithSummary("Turn auto-pay on or off, with an optional daily limit")
            .AcceptsJson<AutoPaySettings>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        wallet.MapGet("/auto-pay/attempts", ListAttempts)
            .WithName("ListAutoPayAttempts")
            .WithSummary("Auto-pay charge attempts, newest first")
            .Paged()
            .OnResource();
    }

    private static async Task<Created<CardView>> AddCard(string walletId, HttpContext http, IGrainFactory grains)
    {
        var command = CardRequests.AddCard(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Created((string?)null, await Wallet(grains, walletId).AddCard(http.User.ToCaller(), command));
    }

    private static async Task<Ok<WalletView>> MakePrimary(string walletId, string cardId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Wallet(grains, walletId).MakeCardPrimary(http.User.ToCaller(), cardId));

    private static async Task<NoContent> RemoveCard(string walletId, string cardId, HttpContext http, IGrainFactory grains)
    {
        await Wallet(grains, walletId).RemoveCard(http.User.ToCaller(), cardId);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WalletView>> SetAutoPay(string walletId, HttpContext http, IGrainFactory grains)
    {
        var settings = CardRequests.AutoPay(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await Wallet(grains, walletId).SetAutoPay(http.User.ToCaller(), settings));
    }

    private static async Task<Ok<Page<AutoPayAttemptView>>> ListAttempts(string walletId, HttpContext http, IGrainFactory grains)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        query.ThrowIfInvalid();
        return TypedResults.Ok(await Wallet(grains, walletId).ListAutoPayAttempts(http.User.ToCaller(), page));
    }

    private static IWalletGrain Wallet(IGrainFactory grains, string walletId) => grains.GetGrain<IWalletGrain>(walletId);
}
