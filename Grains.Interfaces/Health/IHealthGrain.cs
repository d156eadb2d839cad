using Orleans;

namespace AdWallet.Grains.Health;

/// <summary>Answers a readiness probe: a call that travels through the silo's scheduler and back.</summary>
[Alias("adwallet.IHealthGrain")]
public interface IHealthGrain : IGrainWithStringKey
{
    [Alias("Ping")]
    Task<DateTimeOffset> Ping();
}
