namespace Granary.Hosting;

/// <summary>
/// A service that takes part in the silo's start and stop. Participants start in increasing <see cref="Stage"/> and
/// stop in the reverse order. Register them as <c>ISiloLifecycleParticipant</c> singletons.
/// </summary>
public interface ISiloLifecycleParticipant
{
    int Stage { get; }

    Task OnStartAsync(CancellationToken cancellationToken);

    Task OnStopAsync(CancellationToken cancellationToken);
}

public static class SiloLifecycleStage
{
    /// <summary>Storage is opened and its schema created.</summary>
    public const int RuntimeStorage = 1000;

    /// <summary>The silo listens for other silos (cluster mode).</summary>
    public const int Transport = 1200;

    /// <summary>The silo has its row in the membership table and follows the cluster's view (cluster mode).</summary>
    public const int Membership = 1500;

    /// <summary>Runtime services that need storage: reminders, the idle collector.</summary>
    public const int RuntimeServices = 2000;

    /// <summary>The silo serves requests.</summary>
    public const int Active = 3000;

    /// <summary>The silo tells the cluster it serves requests (and, stopping, that it no longer takes new ones).</summary>
    public const int Announced = 4000;
}
