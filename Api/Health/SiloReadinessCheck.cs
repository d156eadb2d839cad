using AdWallet.Grains.Health;
using Granary;
using Granary.Hosting;
using Granary.Membership;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdWallet.Api.Health;

/// <summary>
/// Ready when grain calls can be served (the embedded silo is active; in cluster mode, some silo is) and a grain call
/// makes the round trip.
/// </summary>
internal sealed class SiloReadinessCheck(IClusterOverview cluster, IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (cluster.NotReadyReason is { } reason)
            return HealthCheckResult.Unhealthy(reason);
        await grains.GetGrain<IHealthGrain>("readiness").Ping().WaitAsync(cancellationToken);
        var silos = cluster.GetSilos();
        return HealthCheckResult.Healthy($"{silos.Count(s => s.Status == SiloStatus.Active)} active silos, {silos.Sum(s => s.ActivationCount)} activations.");
    }
}
