using Granary.Membership;

namespace Granary.Placement;

/// <summary>
/// A cluster silo's placement: a grain lives on the silo that owns its hash on the ring of active silos, as this silo
/// sees the cluster now. Silos may briefly disagree while a change spreads; calls are then forwarded, and a grain
/// that is briefly active twice cannot commit twice, because every state write is checked against its ETag.
/// </summary>
internal sealed class RingPlacement(ClusterMembershipService membership) : IGrainPlacement
{
    public PlacementTarget Place(GrainId grainId)
    {
        var owner = membership.CurrentView.Ring.Owner(grainId);
        if (owner is not { } silo) return PlacementTarget.Unavailable;
        return silo == membership.LocalAddress ? PlacementTarget.Local : PlacementTarget.Remote(silo);
    }
}
