namespace Granary.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    /// <summary>Reads, yields the thread, then writes: two such calls interleaving would lose an increment.</summary>
    Task<int> IncrementAcrossAwait();

    Task<int> Get();
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _count;

    public Task<int> Increment() => Task.FromResult(++_count);

    public async Task<int> IncrementAcrossAwait()
    {
        var read = _count;
        await Task.Yield();
        _count = read + 1;
        return _count;
    }

    public Task<int> Get() => Task.FromResult(_count);
}
