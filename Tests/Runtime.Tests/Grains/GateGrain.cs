namespace Granary.Tests.Grains;

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Signals <c>entered:gate</c>, waits until the probe opens the gate, and returns.</summary>
    Task<string> WaitAt(string gate);

    [AlwaysInterleave]
    Task<string> Peek();

    Task<string> Ping();
}

public sealed class GateGrain(Probe probe) : Grain, IGateGrain
{
    public async Task<string> WaitAt(string gate)
    {
        probe.Signal($"entered:{gate}");
        await probe.Gate(gate);
        return gate;
    }

    public Task<string> Peek() => Task.FromResult("peeked");

    public Task<string> Ping() => Task.FromResult("pong");
}

public interface IReentrantGateGrain : IGrainWithStringKey
{
    Task<string> WaitAt(string gate);
}

[Reentrant]
public sealed class ReentrantGateGrain(Probe probe) : Grain, IReentrantGateGrain
{
    public async Task<string> WaitAt(string gate)
    {
        probe.Signal($"entered:{gate}");
        await probe.Gate(gate);
        return gate;
    }
}
