using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// HS256 bearer tokens as the API's <c>token</c> command issues them (README "Tokens"): <c>sub</c>, and <c>role</c> =
/// operator for /v1/ops. Made here because starting the command once per user would cost a process start each.
/// </summary>
public sealed class Tokens(string signingKey)
{
    public string SigningKey { get; } = signingKey;

    public static Tokens WithRandomKey() => new(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    public string For(string userId, bool isOperator = false)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object> { ["sub"] = userId, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600 };
        if (isOperator) claims["role"] = "operator";
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
