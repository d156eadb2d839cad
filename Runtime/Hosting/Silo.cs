using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Hosting;

/// <summary>
/// The silo's place in the generic host: starts its lifecycle participants stage by stage and stops them in reverse,
/// so activations are deactivated while storage is still open.
/// </summary>
internal sealed class Silo(
    IEnumerable<ISiloLifecycleParticipant> participants,
    IEnumerable<ISiloEndpoint> endpoints,
    SiloRuntime runtime,
    ILogger<Silo> logger) : IHostedService, ILocalSiloDetails
{
    private volatile SiloStatus _status = SiloStatus.None;

    private readonly ISiloLifecycleParticipant[] _participants = [.. participants.OrderBy(p => p.Stage)];
    private readonly List<ISiloLifecycleParticipant> _started = [];
    private readonly Lock _stopLock = new();
    private Task? _stopped;

    public SiloRuntime Runtime { get; } = runtime;

    private readonly ISiloEndpoint? _endpoint = endpoints.SingleOrDefault();

    private readonly string _processId = $"{Environment.MachineName}/{Environment.ProcessId}/{runtime.Time.GetUtcNow().ToUnixTimeMilliseconds()}";

    /// <summary>In a cluster, the silo's address, generation included; otherwise the host, process and start time.</summary>
    public string SiloId => _endpoint is not null && _status is not (SiloStatus.None or SiloStatus.Joining) ? _endpoint.Address.ToString() : _processId;

    public string Address => _endpoint is not null && _status is not (SiloStatus.None or SiloStatus.Joining) ? _endpoint.Address.Endpoint : "in-process";

    public SiloStatus Status => _status;

    public int ActivationCount => Runtime.Catalog.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _status = SiloStatus.Joining;
        foreach (var participant in _participants)
        {
            await participant.OnStartAsync(cancellationToken);
            _started.Add(participant);
        }
        _status = SiloStatus.Active;
        logger.LogInformation("Silo started");
    }

    /// <summary>Stops once: a host and a test fixture may both ask, at the same time.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopLock) return _stopped ??= StopOnceAsync(cancellationToken);
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        _status = SiloStatus.ShuttingDown;
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
        _status = SiloStatus.Dead;
        logger.LogInformation("Silo stopped");
    }

    /// <summary>Stops at once, as a crash would: activations are dropped without deactivating, nothing is flushed.</summary>
    public void Kill()
    {
        lock (_stopLock) _stopped ??= Task.CompletedTask;
        _status = SiloStatus.Dead;
        Runtime.Catalog.Kill();
        foreach (var participant in _started.OfType<IDisposable>()) participant.Dispose();
        _started.Clear();
        Runtime.Timeouts.Dispose();
    }
}
