using Granary.Storage;

namespace Granary.Tests.Networking;

public sealed class TransportExceptionTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task A_domain_exception_keeps_its_type_code_and_message()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);

        var error = await Assert.ThrowsAsync<CodedException>(() => cluster.Remote.GetGrain<IEchoGrain>("e").Throw("coded"));

        Assert.Equal("WALLET_INSUFFICIENT", error.Code);
        Assert.Equal("Balance 0 is less than 5000.", error.Message);
        Assert.Contains(nameof(EchoGrain.Throw), error.StackTrace);
    }

    [Fact]
    public async Task Exception_data_is_kept()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.Remote.GetGrain<IEchoGrain>("e").Throw("data"));

        Assert.Equal(3, error.Data["attempt"]);
        Assert.Equal("card declined", error.Data["reason"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), error.Data["when"]);
    }

    [Fact]
    public async Task An_exception_no_constructor_can_rebuild_becomes_a_remote_grain_exception()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);

        var error = await Assert.ThrowsAsync<RemoteGrainException>(() => cluster.Remote.GetGrain<IEchoGrain>("e").Throw("opaque"));

        Assert.Equal(typeof(OpaqueException).FullName, error.OriginalTypeName);
        Assert.Equal("opaque 42", error.Message);
    }

    [Theory]
    [InlineData("timeout", typeof(TimeoutException), "too slow")]
    [InlineData("invalid", typeof(InvalidOperationException), "not now")]
    [InlineData("argument", typeof(ArgumentException), "Amount must be positive. (Parameter 'amount')")]
    [InlineData("argument-null", typeof(ArgumentNullException), "A card is required. (Parameter 'card')")]
    [InlineData("argument-range", typeof(ArgumentOutOfRangeException), "Amount must be below the limit. (Parameter 'amount')")]
    [InlineData("deadlock", typeof(DeadlockException), "cycle")]
    [InlineData("inconsistent", typeof(InconsistentStateException), "stale write")]
    [InlineData("unavailable", typeof(SiloUnavailableException), "gone")]
    [InlineData("canceled", typeof(OperationCanceledException), "stopped")]
    public async Task Runtime_exceptions_keep_their_type_and_message(string kind, Type type, string message)
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Remote.GetGrain<IEchoGrain>("e").ThrowAtOnce(kind));

        Assert.IsType(type, error);
        Assert.Equal(message, error.Message);
        if (error is ArgumentException argument) Assert.Equal(kind == "argument-null" ? "card" : "amount", argument.ParamName);
        if (error is InconsistentStateException inconsistent) Assert.Equal(("7", "6"), (inconsistent.StoredETag, inconsistent.CurrentETag));
    }

    [Fact]
    public async Task A_canceled_grain_call_is_canceled_for_the_remote_caller_as_for_a_local_one()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);

        // An async grain method that throws OperationCanceledException ends canceled; a local caller sees a
        // TaskCanceledException then, and so does a caller on another silo.
        var local = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cluster.Silo2.GrainFactory.GetGrain<IEchoGrain>("e").Throw("canceled"));
        var remote = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cluster.Remote.GetGrain<IEchoGrain>("e").Throw("canceled"));

        Assert.Equal(local.GetType(), remote.GetType());
    }

    [Fact]
    public async Task An_inner_exception_travels_with_its_outer_one()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => cluster.Remote.GetGrain<IEchoGrain>("e").Throw("activation"));

        Assert.Equal("activation failed", error.Message);
        Assert.Equal("INNER", Assert.IsType<CodedException>(error.InnerException).Code);
    }
}
