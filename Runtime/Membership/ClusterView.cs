using Granary.Placement;

namespace Granary.Membership;

/// <summary>
/// The cluster as one silo or client sees it at a moment: the rows it read and the ring of the silos that take grains.
/// </summary>
internal sealed class ClusterView
{
    public static readonly ClusterView Empty = new(0, []);

    public ClusterView(long version, IReadOnlyList<MembershipEntry> members, SiloAddress? exclude = null)
    {
        Version = version;
        Members = members;
        Ring = new ConsistentRing(members.Where(m => m.Status == Hosting.SiloStatus.Active && m.Address != exclude).Select(m => m.Address));
    }

    /// <summary>Grows with every change this process saw.</summary>
    public long Version { get; }

    public IReadOnlyList<MembershipEntry> Members { get; }

    /// <summary>The active silos: where grains and reminders are placed.</summary>
    public ConsistentRing Ring { get; }

    public bool IsActive(SiloAddress silo) => Ring.Contains(silo);
}
