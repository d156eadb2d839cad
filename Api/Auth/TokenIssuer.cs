using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AdWallet.Api.Auth;

/// <summary>Signs tokens the API accepts: HS256 with <c>sub</c>, optionally <c>role</c> = operator, and <c>iss</c> when one is configured.</summary>
public sealed class TokenIssuer(SigningKey key, string? issuer, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(30);

    public string Issue(string userId, bool isOperator, TimeSpan lifetime)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { [PlatformClaims.Subject] = userId };
        if (isOperator)
            claims[PlatformClaims.Role] = PlatformClaims.OperatorRole;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
