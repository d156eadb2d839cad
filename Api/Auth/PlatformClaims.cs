namespace AdWallet.Api.Auth;

/// <summary>The claims the API reads from a token, and the policy built on them.</summary>
public static class PlatformClaims
{
    /// <summary>The user id (1–64 characters of A-Za-z0-9_-).</summary>
    public const string Subject = "sub";

    public const string Role = "role";

    /// <summary>The <see cref="Role"/> that may use <c>/v1/ops</c>.</summary>
    public const string OperatorRole = "operator";

    public const string OperatorPolicy = "operator";
}
