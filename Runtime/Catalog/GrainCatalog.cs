using System.Collections.Concurrent;
using Granary.Hosting;
using Granary.Messaging;
using Microsoft.Extensions.Logging;

namespace Granary.Catalog;

/// <summary>
/// The activations of this silo by grain id. A grain is activated on its first request; a request for an activation
/// that has just left is delivered to a new one.
/// </summary>
internal sealed class GrainCatalog(GrainTypeManifest manifest, ILogger<GrainCatalog> logger) : ISiloLifecycleParticipant
{
    private static readonly TimeSpan DeactivationGrace = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private SiloRuntime? _runtime;
    private volatile bool _stopping;

    public int Stage => SiloLifecycleStage.Active;

    public int Count => _activations.Count;

    public ICollection<ActivationData> Activations => _activations.Values;

    internal void Attach(SiloRuntime runtime) => _runtime = runtime;

    public void Deliver(Request request)
    {
        if (_stopping)
        {
            request.Fail(new SiloUnavailableException($"The silo is shutting down; {request} was not delivered."));
            return;
        }
        if (!_activations.TryGetValue(request.Target, out var activation))
        {
            if (!manifest.TryGetClass(request.Target.Type, out var grainClass))
            {
                request.Fail(new InvalidOperationException($"No grain class is registered for grain type '{request.Target.Type}' ({request})."));
                return;
            }
            activation = _activations.GetOrAdd(request.Target, static (id, state) => new ActivationData(id, state.grainClass, state.runtime), (grainClass, runtime: _runtime!));
        }
        activation.Receive(request);
    }

    /// <summary>
    /// Delivers a request whose activation left before running it, wherever its grain is placed now. Timer ticks die
    /// with their activation.
    /// </summary>
    public void Reroute(Request request)
    {
        if (request.DiesWithActivation) return;
        if (request is GrainCall call)
            _runtime!.Route(call);
        else
            Deliver(request);
    }

    public void Remove(ActivationData activation) =>
        _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));

    public Task OnStartAsync(CancellationToken cancellationToken)
    {
        _stopping = false;
        return Task.CompletedTask;
    }

    /// <summary>Stops taking requests and deactivates every activation, each after its running requests finish.</summary>
    public async Task OnStopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is stopping.");
        var activations = _activations.Values.ToArray();
        foreach (var activation in activations) activation.PostDeactivation(reason);
        try
        {
            await Task.WhenAll(activations.Select(a => a.Deactivated)).WaitAsync(DeactivationGrace, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            logger.LogWarning("{Count} activations did not deactivate before the silo stopped", _activations.Count);
        }
    }

    /// <summary>Drops every activation without deactivating it, as a crash would.</summary>
    public void Kill()
    {
        _stopping = true;
        var error = new SiloUnavailableException("The silo was killed.");
        foreach (var activation in _activations.Values) activation.PostKill(error);
        _activations.Clear();
    }
}
