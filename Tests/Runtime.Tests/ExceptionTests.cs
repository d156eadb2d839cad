using Granary.Tests.Grains;

namespace Granary.Tests;

public sealed class ExceptionTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task A_domain_exception_reaches_the_caller_with_its_type_message_and_data()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IThrowingGrain>("t");

        var error = await Assert.ThrowsAsync<InsufficientFundsException>(() => grain.WithdrawAsync(5_000));

        Assert.Equal("Balance 0 is less than 5000.", error.Message);
        Assert.Equal(5_000, error.Shortfall);
    }

    [Fact]
    public async Task An_exception_thrown_before_the_first_await_reaches_the_caller()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IThrowingGrain>("t");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowSynchronously("Amount must be positive."));

        Assert.Equal("amount", error.ParamName);
        Assert.StartsWith("Amount must be positive.", error.Message);
    }

    [Fact]
    public async Task A_grain_that_refused_a_call_keeps_serving()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IThrowingGrain>("t");

        await Assert.ThrowsAsync<InsufficientFundsException>(() => grain.WithdrawAsync(1));
        await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowSynchronously("no"));

        Assert.Equal(3, await grain.CallsAlive());
    }

    [Fact]
    public async Task A_grain_type_nobody_implements_is_a_clear_error()
    {
        await using var cluster = await Clusters.StartAsync(_probe);

        var error = Assert.Throws<ArgumentException>(() => cluster.GrainFactory.GetGrain<IUnimplementedGrain>("x"));

        Assert.Contains(nameof(IUnimplementedGrain), error.Message);
    }

    public interface IUnimplementedGrain : IGrainWithStringKey
    {
        Task Nothing();
    }
}
