using Microsoft.Extensions.Logging;

namespace AdWallet.Silo;

/// <summary>
/// Hands an embedded service's loggers to its host's logger factory, so that what the service logs goes where the
/// host's logs go and passes the host's filters (<c>Logging:LogLevel</c>), under the same category names.
/// </summary>
/// <remarks>The host owns its factory: disposing this provider leaves it alone.</remarks>
internal sealed class HostLoggerProvider(ILoggerFactory host) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => host.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
