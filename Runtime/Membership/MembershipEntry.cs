using Granary.Hosting;

namespace Granary.Membership;

/// <summary>
/// A silo's row in the membership table: where it is, where it is in its life, and when it last said it was alive.
/// </summary>
/// <param name="HostName">The machine the silo runs on, for operators.</param>
/// <param name="IAmAliveAt">The silo's last heartbeat, by its own clock.</param>
/// <param name="ActivationCount">How many activations the silo held at its last heartbeat.</param>
public sealed record MembershipEntry(
    SiloAddress Address,
    SiloStatus Status,
    string HostName,
    DateTimeOffset StartedAt,
    DateTimeOffset IAmAliveAt,
    int ActivationCount);
