using Granary.Tests.Grains;

namespace Granary.Tests.Networking;

public sealed class TransportRoundTripTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task Arguments_and_results_of_every_shape_cross_silos()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var echo = cluster.Remote.GetGrain<IEchoGrain>("e");
        var parcel = new Parcel("p-1", 5_000, Shade.Dark, ["a", "b"], new() { ["x"] = 1 }, new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(9)), 12.5m);
        var guid = Guid.NewGuid();

        Assert.Equal("héllo", await echo.EchoString("héllo"));
        Assert.Null(await echo.EchoString(null));
        Assert.Equal(long.MaxValue, await echo.EchoLong(long.MaxValue));
        Assert.Equal(guid, await echo.EchoGuid(guid));
        Assert.Equal(Shade.Dark, await echo.EchoShade(Shade.Dark));
        var parcelBack = await echo.EchoParcel(parcel);
        Assert.Equal(parcel with { Tags = parcelBack!.Tags, Counts = parcelBack.Counts }, parcelBack);
        Assert.Equal(parcel.Tags, parcelBack.Tags);
        Assert.Equal(parcel.Counts, parcelBack.Counts);
        Assert.Null(await echo.EchoParcel(null));
        Assert.Equal([1, 2, 3], await echo.EchoList([1, 2, 3]));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = -2 }, await echo.EchoDictionary(new() { ["a"] = 1, ["b"] = -2 }));
        Assert.Equal(7, await echo.Add(3, 4));
        Assert.Equal("ab", await echo.JoinValue("a", "b"));
        await echo.Touch();
        await echo.TouchValue();
        Assert.Equal(2, await echo.Touches());

        Assert.Equal(1, cluster.Silo2.ActivationCount);
        Assert.Equal(0, cluster.Silo1.ActivationCount);
    }

    [Fact]
    public async Task A_grain_reference_crosses_as_its_id_and_comes_back_live()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var counter = cluster.Silo1.GrainFactory.GetGrain<ICounterGrain>("c");

        var back = await cluster.Remote.GetGrain<IEchoGrain>("e").EchoReference(counter);

        Assert.NotNull(back);
        Assert.Equal(counter.GetGrainId(), back.GetGrainId());
        Assert.Equal(1, await back.Increment());
        Assert.Null(await cluster.Remote.GetGrain<IEchoGrain>("e").EchoReference(null));
    }

    [Fact]
    public async Task A_thousand_concurrent_calls_share_one_connection_and_each_gets_its_own_answer()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);

        var calls = Enumerable.Range(0, 1_000).Select(i => cluster.Remote.GetGrain<IEchoGrain>($"e{i % 37}").Add(i, i)).ToArray();
        var answers = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => 2 * i), answers);
        Assert.Equal(1, TransportCluster.SenderOf(cluster.Silo1).ConnectionCount);
        Assert.Equal(1, TransportCluster.ListenerOf(cluster.Silo2).ConnectionCount);
        Assert.Equal(37, cluster.Silo2.ActivationCount);
    }

    [Fact]
    public async Task A_one_megabyte_argument_and_result_cross()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var big = string.Create(1024 * 1024, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + i % 26);
        });

        Assert.Equal(big, await cluster.Remote.GetGrain<IEchoGrain>("e").EchoString(big));
        Assert.Equal(1024 * 1024, (await cluster.Remote.GetGrain<IEchoGrain>("e").Make(1024 * 1024)).Length);
    }

    [Fact]
    public async Task A_call_cycle_across_two_silos_fails_with_a_deadlock_instead_of_hanging()
    {
        await using var cluster = await TransportCluster.StartAsync(_probe);
        var a = cluster.Silo1.GrainFactory.GetGrain<IRemoteCycleGrain>("a");

        // a (silo 1) -> b (silo 2) -> a (silo 1): the call chain travels with each call, so silo 1 sees a waits on itself.
        var error = await Assert.ThrowsAsync<DeadlockException>(() => a.Relay(["b", "a"]));

        Assert.Contains("remotecycle/a -> remotecycle/b", error.Message);
        Assert.Equal("a>b>c", await a.Relay(["b", "c"]));
    }
}
