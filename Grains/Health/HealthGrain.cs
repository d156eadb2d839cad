using Orleans;
using Orleans.Runtime;

namespace AdWallet.Grains.Health;

public sealed class HealthGrain(TimeProvider time) : Grain, IHealthGrain
{
    public Task<DateTimeOffset> Ping() => Task.FromResult(time.GetUtcNow());
}
