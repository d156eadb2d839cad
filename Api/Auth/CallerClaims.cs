using System.Security.Claims;
using AdWallet.Grains;

namespace AdWallet.Api.Auth;

public static class CallerClaims
{
    /// <summary>The caller a grain is told about. Only authenticated principals reach endpoints, and their <c>sub</c> was checked then.</summary>
    public static Caller ToCaller(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(PlatformClaims.Subject) ?? throw new InvalidOperationException("The principal has no subject."),
            user.IsInRole(PlatformClaims.OperatorRole));

    public static string UserId(this ClaimsPrincipal user) => user.ToCaller().UserId;
}
