using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AdWallet.GatewaySimulator.Options;
using AdWallet.GatewaySimulator.Problems;
using Microsoft.Extensions.Options;

namespace AdWallet.GatewaySimulator.Endpoints;

/// <summary>The merchant check of every <c>/v1</c> call: <c>Authorization: Basic base64(secretKey + ":")</c>.</summary>
internal sealed class SecretKeyFilter(IOptions<SimulatorOptions> options) : IEndpointFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(options.Value.SecretKey + ":");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!Authorized(context.HttpContext.Request))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"gateway\"";
            return GatewayProblems.Unauthorized().ToResult();
        }
        return await next(context);
    }

    private bool Authorized(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
            return false;
        var sent = new byte[header.Parameter.Length];
        if (!Convert.TryFromBase64String(header.Parameter, sent, out var length))
            return false;
        // In constant time, so the answer's timing says nothing about how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(sent.AsSpan(0, length), _expected);
    }
}
