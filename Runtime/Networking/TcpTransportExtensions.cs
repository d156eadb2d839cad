using Microsoft.Extensions.DependencyInjection;
using Granary.Client;
using Granary.Networking;

namespace Granary.Hosting;

public static class TcpTransportExtensions
{
    /// <summary>The silo listens for other silos and clients on <c>Silo:Port</c> and reaches them over TCP.</summary>
    public static ISiloBuilder UseTcpTransport(this ISiloBuilder builder)
    {
        builder.Services.AddSiloTransport(builder.Configuration, listen: true);
        builder.Services.AddSingleton<ISiloEndpoint>(sp => sp.GetRequiredService<SiloListener>());
        return builder;
    }

    /// <summary>The client reaches the silos over TCP; it listens for nothing.</summary>
    public static IClientBuilder UseTcpTransport(this IClientBuilder builder)
    {
        builder.Services.AddSiloTransport(builder.Configuration, listen: false);
        return builder;
    }
}
