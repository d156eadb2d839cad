namespace Granary.Tests.Grains;

public interface IGuidKeyGrain : IGrainWithGuidKey
{
    Task<Guid> GetKey();
}

public interface ILongKeyGrain : IGrainWithIntegerKey
{
    Task<long> GetKey();
}

public sealed class GuidKeyGrain : Grain, IGuidKeyGrain
{
    public Task<Guid> GetKey() => Task.FromResult(this.GetPrimaryKey());
}

public sealed class LongKeyGrain : Grain, ILongKeyGrain
{
    public Task<long> GetKey() => Task.FromResult(this.GetPrimaryKeyLong());
}

public interface IValueTaskGrain : IGrainWithStringKey
{
    ValueTask<int> Double(int value);

    ValueTask Touch();

    Task<int> Touches();
}

public sealed class ValueTaskGrain : Grain, IValueTaskGrain
{
    private int _touches;

    public ValueTask<int> Double(int value) => ValueTask.FromResult(value * 2);

    public ValueTask Touch()
    {
        _touches++;
        return ValueTask.CompletedTask;
    }

    public Task<int> Touches() => Task.FromResult(_touches);
}
