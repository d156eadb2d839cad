using Microsoft.IdentityModel.Tokens;

namespace AdWallet.Api.Auth;

/// <summary>What a token must be: HS256 with our key, within its lifetime (30 s of skew), from our issuer if one is set.</summary>
public static class TokenValidation
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static TokenValidationParameters Parameters(SigningKey key, string? issuer) => new()
    {
        IssuerSigningKey = key.SecurityKey,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        // Only HS256: no "none", and no other algorithm a forged header could name.
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuer = issuer is not null,
        ValidIssuer = issuer,
        ValidateAudience = false,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        NameClaimType = PlatformClaims.Subject,
        RoleClaimType = PlatformClaims.Role,
    };
}
