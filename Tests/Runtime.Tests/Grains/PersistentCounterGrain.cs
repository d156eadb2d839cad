namespace Granary.Tests.Grains;

public sealed class CounterState
{
    public int Value { get; set; }

    public ICounterGrain? Friend { get; set; }
}

public interface IPersistentCounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);

    Task<int> Get();

    Task<string?> Etag();

    Task SetFriend(ICounterGrain friend);

    Task<int> IncrementFriend();

    Task Clear();
}

public sealed class PersistentCounterGrain([PersistentState("counter")] IPersistentState<CounterState> counter)
    : Grain, IPersistentCounterGrain
{
    public async Task<int> Add(int amount)
    {
        counter.State.Value += amount;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task<string?> Etag() => Task.FromResult(counter.Etag);

    public async Task SetFriend(ICounterGrain friend)
    {
        counter.State.Friend = friend;
        await counter.WriteStateAsync();
    }

    public Task<int> IncrementFriend() =>
        counter.State.Friend?.Increment() ?? throw new InvalidOperationException("No friend was set.");

    public Task Clear() => counter.ClearStateAsync();
}
