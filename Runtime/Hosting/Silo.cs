using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Hosting;

/// <summary>
/// The silo's place in the generic host: starts its lifecycle participants stage by stage and stops them in reverse,
/// so activations are deactivated while storage is still open.
/// </summary>
internal sealed class Silo(IEnumerable<ISiloLifecycleParticipant> participants, SiloRuntime runtime, ILogger<Silo> logger) : IHostedService
{
    private readonly ISiloLifecycleParticipant[] _participants = [.. participants.OrderBy(p => p.Stage)];
    private readonly List<ISiloLifecycleParticipant> _started = [];

    public SiloRuntime Runtime { get; } = runtime;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var participant in _participants)
        {
            await participant.OnStartAsync(cancellationToken);
            _started.Add(participant);
        }
        logger.LogInformation("Silo started");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            try
            {
                await _started[i].OnStopAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "{Participant} failed to stop", _started[i].GetType().Name);
            }
        }
        _started.Clear();
        Runtime.Timeouts.Dispose();
        logger.LogInformation("Silo stopped");
    }

    /// <summary>Stops at once, as a crash would: activations are dropped without deactivating, nothing is flushed.</summary>
    public void Kill()
    {
        Runtime.Catalog.Kill();
        foreach (var participant in _started.OfType<IDisposable>()) participant.Dispose();
        _started.Clear();
        Runtime.Timeouts.Dispose();
    }
}
