namespace Granary;

public enum DeactivationReasonCode
{
    None,
    ApplicationRequested,
    ActivationIdle,
    ShuttingDown,
    InconsistentState,
    ActivationFailed,

    /// <summary>The grain now belongs to another silo: one joined or left the cluster.</summary>
    PlacementChanged,
}

/// <summary>Why an activation is being deactivated.</summary>
public readonly record struct DeactivationReason(DeactivationReasonCode Code, string Description)
{
    public override string ToString() => $"{Code}: {Description}";
}
