using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains;
using AdWallet.Grains.Users;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/me</c>: the caller, keyed by the token's subject.</summary>
internal static class UserEndpoints
{
    public static void MapUserEndpoints(this RouteGroupBuilder v1)
    {
        var me = v1.MapGroup("/me").WithTags("Users");

        me.MapGet("", GetMe)
            .WithName("GetMe")
            .WithSummary("The caller: identity verification, wallets, managed wallets, ad accounts and channels");

        me.MapPost("/identity-verification", VerifyIdentity)
            .WithName("VerifyIdentity")
            .WithSummary("Verify the caller's identity")
            .AcceptsJson<IdentityVerification>();

        me.MapGet("/notifications", ListNotifications)
            .WithName("ListNotifications")
            .WithSummary("The caller's notifications, newest first")
            .Paged();
    }

    private static async Task<Ok<UserView>> GetMe(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await User(http, grains).Get());

    private static async Task<Ok<IdentityVerificationResult>> VerifyIdentity(HttpContext http, IGrainFactory grains)
    {
        var verification = UserRequests.IdentityVerification(await JsonBody.ReadAsync(http.Request));
        var user = await User(http, grains).VerifyIdentity(verification);
        return TypedResults.Ok(new IdentityVerificationResult(user.IdentityVerified));
    }

    private static async Task<Ok<Page<NotificationView>>> ListNotifications(HttpContext http, IGrainFactory grains)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        query.ThrowIfInvalid();
        return TypedResults.Ok(await User(http, grains).ListNotifications(page));
    }

    private static IUserGrain User(HttpContext http, IGrainFactory grains) => grains.GetGrain<IUserGrain>(http.User.UserId());
}
