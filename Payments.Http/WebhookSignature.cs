using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AdWallet.Payments.Http;

/// <summary>
/// The gateway's webhook signature: <c>Gateway-Signature: v1=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))</c> with
/// <c>Gateway-Timestamp</c> in unix seconds. The timestamp is signed, so a captured webhook cannot be replayed later
/// under a fresh one; a stale timestamp is refused.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "Gateway-Signature";
    public const string TimestampHeader = "Gateway-Timestamp";
    private const string Version = "v1=";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Version + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Whether the headers sign this body under the secret, with a timestamp within the tolerance of now.</summary>
    public static bool IsValid(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestampHeader is null || signatureHeader is null) return false;
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)) return false;
        if (timestamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return false;
        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if (age.Duration() > tolerance) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var actual = Encoding.ASCII.GetBytes(signatureHeader.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
