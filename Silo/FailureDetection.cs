using Orleans.Configuration;

namespace AdWallet.Silo;

/// <summary>
/// How fast a silo that stops answering is declared dead. Orleans' defaults take about 6 s for a killed silo but about
/// a minute for a frozen one (a paused process): the connection liveness check holds votes back while the TCP
/// connection still stands. With short probes and three missed probes, a killed or frozen silo is voted dead in a few
/// seconds, and calls to it fail after <see cref="ClientResponseTimeout"/> rather than Orleans' 30 s.
/// </summary>
public static class FailureDetection
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Orleans' default. Two let a silo busy starting (JIT, on a CPU-starved machine) miss two one-second probes and be
    /// voted dead by the only other active silo, which needs no second vote: a false death the cluster tests saw.
    /// With three, the third probe goes through another silo when there is one (an indirect probe), and a frozen or
    /// killed silo is still declared dead in a few seconds (measured in Cluster.Tests' FailureDetectionTests).
    /// </summary>
    public const int NumMissedProbesLimit = 3;

    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan ClientResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a client (the API) rereads the live gateways from the membership table (Orleans: a minute). A killed
    /// silo's gateway drops its connection and is avoided at once; a frozen one's is not, and is avoided only once the
    /// client has read that it is dead.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(2);

    public static void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        // The liveness check lets a frozen silo whose connections still stand escape its votes for a minute.
        options.EnableConnectionLivenessCheck = false;
    }
}
