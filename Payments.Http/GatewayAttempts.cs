using System.Net.Sockets;

namespace AdWallet.Payments.Http;

/// <summary>
/// Whether any attempt of one call may have reached the gateway. The resilience pipeline retries a call several times;
/// only if every attempt failed before a connection was made can the platform say for sure that nothing happened at the
/// gateway. The record travels in the request's options, which the pipeline copies to each attempt's request.
/// </summary>
internal sealed class GatewayAttempts
{
    private static readonly HttpRequestOptionsKey<GatewayAttempts> Key = new("adwallet.gateway-attempts");
    private volatile bool _mayHaveReached;

    public bool MayHaveReached => _mayHaveReached;

    public static GatewayAttempts Track(HttpRequestMessage request)
    {
        var attempts = new GatewayAttempts();
        request.Options.Set(Key, attempts);
        return attempts;
    }

    /// <summary>A failure that happened before any byte could reach the gateway: a refused or unresolvable connection.</summary>
    public static bool IsUnreached(Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => true,
        Polly.CircuitBreaker.BrokenCircuitException => true,
        _ => false,
    };

    /// <summary>Watches each attempt, inside the resilience pipeline, next to the network.</summary>
    internal sealed class Observer : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.TryGetValue(Key, out var attempts);
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                attempts?._mayHaveReached = true;
                return response;
            }
            catch (Exception exception) when (!IsUnreached(exception))
            {
                attempts?._mayHaveReached = true;
                throw;
            }
        }
    }
}
