using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AdWallet.GatewaySimulator.Webhooks;

/// <summary>The webhook signature of docs/gateway.md: <c>v1=</c> hex HMAC-SHA256 of <c>"{timestamp}.{body}"</c>.</summary>
public static class WebhookSigner
{
    public const string TimestampHeader = "Gateway-Timestamp";
    public const string SignatureHeader = "Gateway-Signature";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var payload = Encoding.UTF8.GetBytes($"{unixSeconds.ToString(CultureInfo.InvariantCulture)}.{body}");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
        return "v1=" + Convert.ToHexStringLower(mac);
    }
}
