namespace Granary.Membership;

/// <summary>Told, one change at a time and in order, when the silo's view of the cluster changes.</summary>
internal interface IClusterViewListener
{
    Task OnViewChangedAsync(ClusterView previous, ClusterView current);
}
