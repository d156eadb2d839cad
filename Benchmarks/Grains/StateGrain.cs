namespace AdWallet.Benchmarks.Grains;

public sealed class CounterState
{
    public int Count { get; set; }
}

public interface IStateGrain : IGrainWithIntegerKey
{
    /// <summary>Changes the persistent state and awaits its write.</summary>
    Task<int> Write();
}

public sealed class StateGrain([PersistentState("counter")] IPersistentState<CounterState> counter) : Grain, IStateGrain
{
    public async Task<int> Write()
    {
        counter.State.Count++;
        await counter.WriteStateAsync();
        return counter.State.Count;
    }
}
