namespace Granary.Tests.Grains;

public interface ICycleGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="next"/>, passing the rest of the path on; the last grain answers.</summary>
    Task<string> Relay(string[] path);

    Task<string> CallSelf();
}

public sealed class CycleGrain : Grain, ICycleGrain
{
    public async Task<string> Relay(string[] path)
    {
        if (path.Length == 0) return this.GetPrimaryKeyString();
        var next = GrainFactory.GetGrain<ICycleGrain>(path[0]);
        return $"{this.GetPrimaryKeyString()}>{await next.Relay(path[1..])}";
    }

    public Task<string> CallSelf() => GrainFactory.GetGrain<ICycleGrain>(this.GetPrimaryKeyString()).Relay([]);
}

public interface IReentrantCycleGrain : IGrainWithStringKey
{
    Task<string> Relay(string[] path);
}

[Reentrant]
public sealed class ReentrantCycleGrain : Grain, IReentrantCycleGrain
{
    public async Task<string> Relay(string[] path)
    {
        if (path.Length == 0) return this.GetPrimaryKeyString();
        var next = GrainFactory.GetGrain<IReentrantCycleGrain>(path[0]);
        return $"{this.GetPrimaryKeyString()}>{await next.Relay(path[1..])}";
    }
}
