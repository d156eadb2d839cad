using System.Net;
using System.Net.Sockets;

namespace AdWallet.Cluster.Tests;

/// <summary>Loopback ports nothing listens on right now, for the silos and the API.</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        // All held open together, so the system hands out distinct ports.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
