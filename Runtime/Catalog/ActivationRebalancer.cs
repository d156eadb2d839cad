using Granary.Membership;
using Granary.Placement;
using Microsoft.Extensions.Logging;

namespace Granary.Catalog;

/// <summary>
/// When silos join or leave, deactivates the activations that now belong to another silo, so their next calls
/// activate them there. Requests already queued at such an activation are forwarded to the new owner.
/// </summary>
internal sealed class ActivationRebalancer(GrainCatalog catalog, IGrainPlacement placement, ILogger<ActivationRebalancer> logger) : IClusterViewListener
{
    public Task OnViewChangedAsync(ClusterView previous, ClusterView current)
    {
        // With no active silo at all there is nowhere to move grains to.
        if (current.Ring.IsEmpty) return Task.CompletedTask;
        var moved = 0;
        var reason = new DeactivationReason(DeactivationReasonCode.PlacementChanged, $"Cluster view {current.Version} places the grain on another silo.");
        foreach (var activation in catalog.Activations)
        {
            if (placement.Place(activation.GrainId).Kind != PlacementKind.Remote) continue;
            activation.PostDeactivation(reason);
            moved++;
        }
        if (moved > 0) logger.LogInformation("Moving {Count} activations to other silos after cluster view {Version}", moved, current.Version);
        return Task.CompletedTask;
    }
}
