using Granary;

namespace AdWallet.Grains.Health;

/// <summary>Answers a readiness probe: a call that travels through the silo's scheduler and back.</summary>
public interface IHealthGrain : IGrainWithStringKey
{
    Task<DateTimeOffset> Ping();
}
