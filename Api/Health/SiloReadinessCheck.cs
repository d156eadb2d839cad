using AdWallet.Grains.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans;

namespace AdWallet.Api.Health;

/// <summary>Ready when a grain call makes the round trip through a silo (the embedded one, or one of the cluster's).</summary>
internal sealed class SiloReadinessCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var at = await grains.GetGrain<IHealthGrain>("readiness").Ping().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"A grain answered at {at:O}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("No silo answers grain calls yet.", exception);
        }
    }
}
