using Granary.Hosting;

namespace Granary.Membership;

/// <summary>Turns the rows of the membership table into a view: who is alive, by heartbeat, and who takes grains.</summary>
internal static class ClusterViewBuilder
{
    /// <summary>
    /// Rows whose heartbeat is older than the death timeout count as dead at once, before anyone has declared them dead,
    /// so calls stop going to a silo as soon as any reader notices it is silent.
    /// </summary>
    public static IReadOnlyList<MembershipEntry> WithSilentSilosDead(IReadOnlyList<MembershipEntry> rows, DateTimeOffset now, TimeSpan deathTimeout) =>
        [.. rows.Select(row => row.Status != SiloStatus.Dead && IsSilent(row, now, deathTimeout) ? row with { Status = SiloStatus.Dead } : row)
            .OrderBy(row => row.Address)];

    public static bool IsSilent(MembershipEntry row, DateTimeOffset now, TimeSpan deathTimeout) => now - row.IAmAliveAt > deathTimeout;

    /// <summary>True when the two views place grains alike and report the same statuses.</summary>
    public static bool SameMembers(IReadOnlyList<MembershipEntry> left, IReadOnlyList<MembershipEntry> right) =>
        left.Count == right.Count && left.Zip(right).All(pair => pair.First.Address == pair.Second.Address && pair.First.Status == pair.Second.Status);
}
