namespace AdWallet.Benchmarks.Grains;

public interface IBenchGrain : IGrainWithIntegerKey
{
    /// <summary>The cheapest useful call: bumps an in-memory counter and returns it.</summary>
    Task<int> Increment();
}

public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _count;

    public Task<int> Increment() => Task.FromResult(++_count);
}
