using Granary.Hosting;

namespace Granary.Membership;

/// <summary>
/// The last step of a silo's start and the first of its stop: it tells the cluster the silo serves requests once
/// everything else runs, and that it takes no new ones before its grains start to deactivate.
/// </summary>
internal sealed class SiloStatusAnnouncer(ClusterMembershipService membership) : ISiloLifecycleParticipant
{
    public int Stage => SiloLifecycleStage.Announced;

    public Task OnStartAsync(CancellationToken cancellationToken) => membership.AnnounceActiveAsync(cancellationToken);

    public Task OnStopAsync(CancellationToken cancellationToken) => membership.AnnounceShuttingDownAsync(cancellationToken);
}
