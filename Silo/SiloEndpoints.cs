using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace AdWallet.Silo;

/// <summary>
/// Where a silo listens. <c>Silo:Port</c> is the silo-to-silo port; the gateway port (for clients such as the API in
/// cluster mode) is derived from it, so that silos on one machine differ only by <c>Silo:Port</c>. Port 0, and the
/// embedded mode, take free ports: tests run many embedded platforms at once.
/// </summary>
public sealed record SiloEndpoints(IPAddress AdvertisedAddress, int SiloPort, int GatewayPort)
{
    public const string PortKey = "Silo:Port";
    public const string AdvertisedHostKey = "Silo:AdvertisedHost";

    /// <summary>The gateway port is the silo port plus this.</summary>
    public const int GatewayPortOffset = 20_000;

    public static SiloEndpoints From(IConfiguration configuration, bool cluster)
    {
        var host = configuration[AdvertisedHostKey] ?? "127.0.0.1";
        if (!IPAddress.TryParse(host, out var address))
        {
            address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new InvalidOperationException($"{AdvertisedHostKey} '{host}' is not an address and does not resolve to one.");
        }
        var portText = configuration[PortKey];
        var port = 0;
        if (!string.IsNullOrEmpty(portText) && (!int.TryParse(portText, out port) || port is < 0 or > 65535 - GatewayPortOffset))
            throw new InvalidOperationException($"{PortKey} must be a port from 0 to {65535 - GatewayPortOffset}, not '{portText}'.");
        if (!cluster || port == 0) return new SiloEndpoints(address, FreePort(), FreePort());
        return new SiloEndpoints(address, port, port + GatewayPortOffset);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
