using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains.Wallets;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/wallets</c>: creating wallets, reading and renaming them, and their members.</summary>
internal static class WalletEndpoints
{
    public static void MapWalletEndpoints(this RouteGroupBuilder v1)
    {
        var wallets = v1.MapGroup("/wallets").WithTags("Wallets");

        wallets.MapPost("", Create)
            .WithName("CreateWallet")
            .WithSummary("Create a wallet; the caller becomes its master")
            .AcceptsJson<CreateWallet>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        wallets.MapGet("/{walletId:id}", Get)
            .WithName("GetWallet")
            .WithSummary("A wallet: balance, members, cards and auto-pay")
            .OnResource();

        wallets.MapPatch("/{walletId:id}", Update)
            .WithName("UpdateWallet")
            .WithSummary("Rename a wallet (master) or set its tax-invoice email (master or member)")
            .AcceptsJson<UpdateWallet>()
            .OnResource();

        wallets.MapPost("/{walletId:id}/members", AddMember)
            .WithName("AddWalletMember")
            .WithSummary("Add a member (master only)")
            .AcceptsJson<UserIdBody>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        wallets.MapDelete("/{walletId:id}/members/{userId:id}", RemoveMember)
            .WithName("RemoveWalletMember")
            .WithSummary("Remove a member (master only)")
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Created<WalletView>> Create(HttpContext http, IGrainFactory grains)
    {
        var command = WalletRequests.CreateWallet(await JsonBody.ReadAsync(http.Request));
        var walletId = "wal_" + Guid.NewGuid().ToString("N");
        var wallet = await grains.GetGrain<IWalletGrain>(walletId).Create(http.User.ToCaller(), command);
        return TypedResults.Created($"/v1/wallets/{wallet.Id}", wallet);
    }

    private static async Task<Ok<WalletView>> Get(string walletId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IWalletGrain>(walletId).Get(http.User.ToCaller()));

    private static async Task<Ok<WalletView>> Update(string walletId, HttpContext http, IGrainFactory grains)
    {
        var command = WalletRequests.UpdateWallet(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await grains.GetGrain<IWalletGrain>(walletId).Update(http.User.ToCaller(), command));
    }

    private static async Task<Ok<WalletView>> AddMember(string walletId, HttpContext http, IGrainFactory grains)
    {
        var userId = UserRequests.UserId(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await grains.GetGrain<IWalletGrain>(walletId).AddMember(http.User.ToCaller(), userId));
    }

    private static async Task<NoContent> RemoveMember(string walletId, string userId, HttpContext http, IGrainFactory grains)
    {
        await grains.GetGrain<IWalletGrain>(walletId).RemoveMember(http.User.ToCaller(), userId);
        return TypedResults.NoContent();
    }
}
