using AdWallet.Grains.Health;
using Granary;
using Granary.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdWallet.Api.Health;

/// <summary>Ready when the silo is active and a grain call makes the round trip.</summary>
internal sealed class SiloReadinessCheck(ILocalSiloDetails silo, IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (silo.Status != SiloStatus.Active)
            return HealthCheckResult.Unhealthy($"The silo is {silo.Status}.");
        await grains.GetGrain<IHealthGrain>("readiness").Ping().WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy($"{silo.ActivationCount} activations.");
    }
}
