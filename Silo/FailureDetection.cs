using Orleans.Configuration;

namespace AdWallet.Silo;

/// <summary>
/// How fast a silo that stops answering is declared dead. Orleans' defaults take about 6 s for a killed silo but about
/// a minute for a frozen one (a paused process): the connection liveness check holds votes back while the TCP
/// connection still stands. With short probes and two missed probes, a killed or frozen silo is voted dead in a few
/// seconds, and calls to it fail after <see cref="ClientResponseTimeout"/> rather than Orleans' 30 s.
/// </summary>
public static class FailureDetection
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    public const int NumMissedProbesLimit = 2;

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
