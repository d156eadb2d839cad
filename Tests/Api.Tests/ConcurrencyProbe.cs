namespace AdWallet.Api.Tests;

/// <summary>
/// Counts the requests in flight through a client: a request is in flight from when it is sent until its answer
/// arrives, so a maximum above one shows that the server had several requests at once.
/// </summary>
public sealed class ConcurrencyProbe : DelegatingHandler
{
    private int _inFlight;
    private int _maxInFlight;

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>A client of <paramref name="platform"/> for <paramref name="userId"/> whose requests pass through a new probe.</summary>
    public static (HttpClient Client, ConcurrencyProbe Probe) ClientFor(EmbeddedPlatform platform, string userId, bool isOperator = false)
    {
        var probe = new ConcurrencyProbe();
        var client = platform.CreateDefaultClient(probe);
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For(userId, isOperator));
        return (client, probe);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); now > max; max = Volatile.Read(ref _maxInFlight))
        {
            if (Interlocked.CompareExchange(ref _maxInFlight, now, max) == max) break;
        }
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
