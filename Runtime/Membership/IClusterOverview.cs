using Granary.Hosting;

namespace Granary.Membership;

/// <summary>What this process knows of the cluster's silos, for operators and readiness checks.</summary>
public interface IClusterOverview
{
    /// <summary>The silos this process knows of, dead ones included until their rows are cleaned up.</summary>
    IReadOnlyList<SiloSummary> GetSilos();

    /// <summary>Why grain calls cannot be served from here now; null when they can.</summary>
    string? NotReadyReason { get; }
}

/// <param name="Id">The silo's identity: its address with its generation in a cluster.</param>
/// <param name="Address">Where other silos reach it (<c>host:port</c>), or <c>in-process</c> for the embedded silo.</param>
/// <param name="ActivationCount">Its activations: live for this silo, as of its last heartbeat for the others.</param>
public sealed record SiloSummary(string Id, string Address, SiloStatus Status, int ActivationCount);

/// <summary>The embedded silo: the cluster is this one silo.</summary>
internal sealed class LocalSiloOverview(ILocalSiloDetails silo) : IClusterOverview
{
    public IReadOnlyList<SiloSummary> GetSilos() => [new SiloSummary(silo.SiloId, silo.Address, silo.Status, silo.ActivationCount)];

    public string? NotReadyReason => silo.Status == SiloStatus.Active ? null : $"The silo is {silo.Status}.";
}

/// <summary>A silo of a cluster: the silos of its membership view, itself with its live activation count.</summary>
internal sealed class ClusterSiloOverview(ClusterMembershipService membership, ILocalSiloDetails silo) : IClusterOverview
{
    public IReadOnlyList<SiloSummary> GetSilos() =>
        [.. membership.CurrentView.Members.Select(member => member.Address == membership.LocalAddress
            ? new SiloSummary(member.Address.ToString(), member.Address.Endpoint, silo.Status, silo.ActivationCount)
            : new SiloSummary(member.Address.ToString(), member.Address.Endpoint, member.Status, member.ActivationCount))];

    public string? NotReadyReason => silo.Status == SiloStatus.Active ? null : $"The silo is {silo.Status}.";
}
