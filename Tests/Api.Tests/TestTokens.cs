using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AdWallet.Api.Tests;

/// <summary>Mints tokens for tests: valid ones, and every kind of invalid one the API must refuse.</summary>
public static class TestTokens
{
    public const string SigningKey = "adwallet-tests-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123";

    public static string For(string userId, bool isOperator = false) =>
        Create(new Dictionary<string, object> { ["sub"] = userId }.WithRole(isOperator));

    /// <summary>A token with exactly these claims (a missing exp is added unless <paramref name="expires"/> says otherwise).</summary>
    public static string Create(
        IDictionary<string, object> claims,
        string key = SigningKey,
        DateTime? expires = null,
        DateTime? notBefore = null,
        string? issuer = null,
        string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            IssuedAt = (notBefore ?? now).AddSeconds(-1),
            NotBefore = notBefore ?? now.AddSeconds(-1),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) claiming to be <paramref name="userId"/>.</summary>
    public static string Unsigned(string userId, bool isOperator = false)
    {
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var role = isOperator ? ",\"role\":\"operator\"" : "";
        return $"{Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Base64Url($"{{\"sub\":\"{userId}\",\"exp\":{exp}{role}}}")}.";
    }

    private static Dictionary<string, object> WithRole(this Dictionary<string, object> claims, bool isOperator)
    {
        if (isOperator) claims["role"] = "operator";
        return claims;
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);
}
