namespace Granary.Timers;

/// <summary>A grain timer. Dispose it to stop it; it also stops when its activation is deactivated.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Moves the next tick to <paramref name="dueTime"/> from now and sets the period after it.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
