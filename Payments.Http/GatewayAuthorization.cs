using System.Net.Http.Headers;
using System.Text;

namespace AdWallet.Payments.Http;

/// <summary>The merchant's secret key as the gateway expects it: HTTP Basic, the key as user name and no password.</summary>
internal static class GatewayAuthorization
{
    public static AuthenticationHeaderValue Basic(string secretKey) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(secretKey + ":")));
}
