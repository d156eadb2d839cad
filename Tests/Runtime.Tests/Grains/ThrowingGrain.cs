namespace Granary.Tests.Grains;

/// <summary>How a domain grain refuses: an exception type of its own, with a message and data.</summary>
public sealed class InsufficientFundsException(string message, long shortfall) : Exception(message)
{
    public long Shortfall { get; } = shortfall;
}

public interface IThrowingGrain : IGrainWithStringKey
{
    Task<long> WithdrawAsync(long amount);

    Task<int> ThrowSynchronously(string message);

    Task<int> CallsAlive();
}

public sealed class ThrowingGrain : Grain, IThrowingGrain
{
    private int _calls;

    public async Task<long> WithdrawAsync(long amount)
    {
        _calls++;
        await Task.Yield();
        throw new InsufficientFundsException($"Balance 0 is less than {amount}.", amount);
    }

    public Task<int> ThrowSynchronously(string message)
    {
        _calls++;
        throw new ArgumentException(message, "amount");
    }

    public Task<int> CallsAlive() => Task.FromResult(++_calls);
}
