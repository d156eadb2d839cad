using Granary.Placement;

namespace Granary.Tests.Cluster;

public sealed class ConsistentRingTests
{
    private static readonly SiloAddress[] Silos =
    [
        new("10.0.0.1", 11111, 1), new("10.0.0.2", 11111, 1), new("10.0.0.3", 11111, 1), new("10.0.0.4", 11111, 1),
    ];

    private static readonly GrainId[] Grains = [.. Enumerable.Range(0, 20_000).Select(i => new GrainId("wallet", $"w-{i}"))];

    [Fact]
    public void Every_process_that_knows_the_same_silos_places_a_grain_alike()
    {
        var one = new ConsistentRing(Silos[..3]);
        var other = new ConsistentRing([Silos[2], Silos[0], Silos[1], Silos[0]]);

        Assert.All(Grains, grain => Assert.Equal(one.Owner(grain), other.Owner(grain)));
    }

    [Fact]
    public void Grains_spread_over_the_silos_roughly_evenly()
    {
        var ring = new ConsistentRing(Silos[..3]);
        var shares = Grains.GroupBy(grain => ring.Owner(grain)!.Value).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, shares.Count);
        // A third each, give or take: 64 points per silo keep every share within ±35% of it.
        Assert.All(shares.Values, count => Assert.InRange(count, Grains.Length / 3 * 65 / 100, Grains.Length / 3 * 135 / 100));
    }

    [Fact]
    public void A_silo_that_joins_takes_grains_only_from_the_others_and_leaves_the_rest_in_place()
    {
        var before = new ConsistentRing(Silos[..3]);
        var after = new ConsistentRing(Silos);

        var moved = Grains.Where(grain => before.Owner(grain) != after.Owner(grain)).ToArray();
        Assert.All(moved, grain => Assert.Equal(Silos[3], after.Owner(grain)));
        Assert.InRange(moved.Length, Grains.Length / 4 * 65 / 100, Grains.Length / 4 * 135 / 100);
    }

    [Fact]
    public void A_silo_that_leaves_hands_over_only_its_own_grains()
    {
        var before = new ConsistentRing(Silos);
        var after = new ConsistentRing(Silos[1..]);

        Assert.All(Grains, grain =>
        {
            if (before.Owner(grain) != Silos[0]) Assert.Equal(before.Owner(grain), after.Owner(grain));
            else Assert.NotEqual(Silos[0], after.Owner(grain));
        });
    }

    [Fact]
    public void A_new_start_of_a_silo_on_the_same_endpoint_is_another_silo_on_the_ring()
    {
        var restarted = Silos[0] with { Generation = 2 };
        var ring = new ConsistentRing([Silos[0], restarted]);

        Assert.Equal(2, ring.Silos.Count);
        Assert.Contains(Grains, grain => ring.Owner(grain) == restarted);
        Assert.Contains(Grains, grain => ring.Owner(grain) == Silos[0]);
    }

    [Fact]
    public void An_empty_ring_places_nothing()
    {
        Assert.True(ConsistentRing.Empty.IsEmpty);
        Assert.Null(ConsistentRing.Empty.Owner(Grains[0]));
    }

    [Theory]
    [InlineData("127.0.0.1:11111@42", "127.0.0.1", 11111, 42)]
    [InlineData("silo-a.internal:1@1795284005679", "silo-a.internal", 1, 1795284005679)]
    [InlineData("::1:11111@7", "::1", 11111, 7)]
    public void A_silo_address_is_written_and_read_back(string text, string host, int port, long generation)
    {
        var address = SiloAddress.Parse(text);

        Assert.Equal(new SiloAddress(host, port, generation), address);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:11111")]
    [InlineData("127.0.0.1@5")]
    [InlineData(":11111@5")]
    [InlineData("host:port@5")]
    [InlineData("host:1@gen")]
    public void A_malformed_silo_address_is_refused(string text) => Assert.Throws<FormatException>(() => SiloAddress.Parse(text));
}
