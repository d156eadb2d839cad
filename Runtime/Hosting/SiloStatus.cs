namespace Granary.Hosting;

/// <summary>Where a silo is in its life.</summary>
public enum SiloStatus
{
    /// <summary>Created, not yet starting.</summary>
    None,

    /// <summary>Starting: opening storage, loading reminders.</summary>
    Joining,

    /// <summary>Serving requests.</summary>
    Active,

    /// <summary>Stopping gracefully: deactivating its grains.</summary>
    ShuttingDown,

    /// <summary>Stopped, or declared dead.</summary>
    Dead,
}

/// <summary>What a silo knows about itself.</summary>
public interface ILocalSiloDetails
{
    /// <summary>Which silo this is: the host, the process and the time it started, so a restarted silo is a new one.</summary>
    string SiloId { get; }

    /// <summary>Where other silos reach it; <c>in-process</c> for the embedded silo, which no one else reaches.</summary>
    string Address { get; }

    SiloStatus Status { get; }

    /// <summary>How many activations the silo holds now.</summary>
    int ActivationCount { get; }
}
