using Granary.Hosting;

namespace Granary.Membership;

/// <summary>
/// The cluster's membership: one row per silo start, in a database every silo and client reads. The table holds no
/// consensus of its own: every change is one conditional row write, so two silos can never both win a transition.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Every row, dead ones included until they are cleaned up.</summary>
    Task<IReadOnlyList<MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a silo's row. Returns false if a row with that address (host, port and generation) exists already.</summary>
    Task<bool> InsertRowAsync(MembershipEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// A silo's heartbeat and status change: writes the status, heartbeat and activation count of its row, unless the row
    /// is missing or already <see cref="SiloStatus.Dead"/>. Returns false then: the silo has been declared dead and must stop.
    /// A row is never brought back from the dead.
    /// </summary>
    Task<bool> UpdateRowAsync(SiloAddress address, SiloStatus status, DateTimeOffset iAmAliveAt, int activationCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Declares a silo dead if it is not dead already and its last heartbeat is older than <paramref name="heartbeatBefore"/>
    /// (a heartbeat that arrived meanwhile saves it). Returns true if this call declared it dead.
    /// </summary>
    Task<bool> DeclareDeadAsync(SiloAddress address, DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default);

    /// <summary>Removes the rows of dead silos whose last heartbeat is older than <paramref name="heartbeatBefore"/>. Returns how many.</summary>
    Task<int> CleanupDefunctAsync(DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default);
}
