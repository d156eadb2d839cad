using System.Net;
using System.Net.Sockets;

namespace AdWallet.Cluster.Tests;

/// <summary>Loopback ports nothing listens on right now, for the silos and the API.</summary>
public static class FreePorts
{
    /// <summary>
    /// Silo ports: a silo's gateway listens on its port plus <c>SiloEndpoints.GatewayPortOffset</c> (20,000), so both
    /// must be free and the silo port at most 45,535. Taken below the ephemeral range, with both ports held open together.
    /// </summary>
    public static int[] TakeSiloPorts(int count)
    {
        const int GatewayPortOffset = 20_000;
        var random = new Random();
        var held = new List<TcpListener>();
        var ports = new List<int>();
        try
        {
            for (var attempt = 0; ports.Count < count; attempt++)
            {
                if (attempt > 1_000) throw new InvalidOperationException($"No {count} free silo ports (with their gateway ports) in 15000-25000.");
                var port = random.Next(15_000, 25_000);
                if (ports.Contains(port)) continue;
                var pair = new[] { new TcpListener(IPAddress.Loopback, port), new TcpListener(IPAddress.Loopback, port + GatewayPortOffset) };
                try
                {
                    foreach (var listener in pair) listener.Start();
                }
                catch (SocketException)
                {
                    foreach (var listener in pair) listener.Stop();
                    continue;
                }
                held.AddRange(pair);
                ports.Add(port);
            }
            return [.. ports];
        }
        finally
        {
            foreach (var listener in held) listener.Stop();
        }
    }

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
