using AdWallet.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Dashboard;

namespace AdWallet.Api.Dashboard;

/// <summary>
/// The Orleans Dashboard, for operators. A browser sends no bearer header when it navigates, so an operator trades
/// their bearer token for a short-lived cookie (<c>POST /v1/ops/dashboard-session</c>, or the sign-in page at
/// <see cref="SignInPath"/> that does it from a browser); the cookie holds a token of its own, valid for
/// <see cref="SessionLifetime"/>, sent only to <see cref="Path"/>.
/// </summary>
internal static class DashboardAccess
{
    public const string Path = "/dashboard";

    public const string SignInPath = "/dashboard-sign-in";

    public const string CookieName = "adwallet_dashboard";

    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The dashboard's pages and data, behind the operator policy.</summary>
    public static void MapPlatformDashboard(this IEndpointRouteBuilder app)
    {
        // Not part of the HTTP API's contract: the dashboard's own pages and data are left out of the OpenAPI document.
        app.MapGroup("").RequireAuthorization(PlatformClaims.OperatorPolicy).ExcludeFromDescription().MapOrleansDashboard(Path);
        app.MapGet(SignInPath, () => TypedResults.Content(SignInPage.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
    }

    /// <summary><c>POST /v1/ops/dashboard-session</c>: sets the dashboard cookie for the calling operator.</summary>
    public static void MapDashboardSession(this RouteGroupBuilder ops) =>
        ops.MapPost("/dashboard-session", StartSession)
            .WithTags("Operations")
            .WithName("StartDashboardSession")
            .WithSummary("Trade an operator token for a short-lived cookie that opens the Orleans Dashboard in a browser");

    private static NoContent StartSession(HttpContext http, SigningKey key, AuthOptions auth, TimeProvider time)
    {
        var token = new TokenIssuer(key, auth.Issuer, time).Issue(http.User.ToCaller().UserId, isOperator: true, SessionLifetime);
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            Path = Path,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            MaxAge = SessionLifetime,
        });
        return TypedResults.NoContent();
    }

    /// <summary>For requests to the dashboard without a bearer header: the token is the cookie's.</summary>
    public static string? TokenFromCookie(HttpRequest request) =>
        request.Path.StartsWithSegments(Path) && !request.Headers.Authorization.Any() ? request.Cookies[CookieName] : null;

    /// <summary>A browser that is not signed in is sent to the sign-in page rather than shown a 401 document.</summary>
    public static bool IsBrowserNavigation(HttpRequest request) =>
        request.Path.StartsWithSegments(Path) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
}
