namespace Granary.Placement;

/// <summary>Decides where a grain's activation lives.</summary>
internal interface IGrainPlacement
{
    PlacementTarget Place(GrainId grainId);
}

internal enum PlacementKind
{
    /// <summary>On this silo.</summary>
    Local,

    /// <summary>On <see cref="PlacementTarget.Silo"/>, another silo.</summary>
    Remote,

    /// <summary>No active silo can take it now (the cluster is starting, or every silo is gone).</summary>
    Unavailable,
}

internal readonly record struct PlacementTarget(PlacementKind Kind, SiloAddress Silo = default)
{
    public static readonly PlacementTarget Local = new(PlacementKind.Local);

    public static readonly PlacementTarget Unavailable = new(PlacementKind.Unavailable);

    public static PlacementTarget Remote(SiloAddress silo) => new(PlacementKind.Remote, silo);
}

/// <summary>The embedded silo's placement: every grain lives here.</summary>
internal sealed class LocalPlacement : IGrainPlacement
{
    public PlacementTarget Place(GrainId grainId) => PlacementTarget.Local;
}
