using Granary.Hosting;
using Microsoft.Extensions.Options;

namespace Granary.Catalog;

/// <summary>Every collection quantum, deactivates the activations idle for longer than the collection age.</summary>
internal sealed class ActivationCollector(GrainCatalog catalog, IOptions<GrainCollectionOptions> options, TimeProvider time)
    : ISiloLifecycleParticipant, IDisposable
{
    private readonly GrainCollectionOptions _options = options.Value;
    private ITimer? _timer;

    public int Stage => SiloLifecycleStage.RuntimeServices;

    public Task OnStartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(static state => ((ActivationCollector)state!).Collect(), this, _options.CollectionQuantum, _options.CollectionQuantum);
        return Task.CompletedTask;
    }

    public Task OnStopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    private void Collect()
    {
        var idleSince = time.GetTimestamp() - (long)(_options.CollectionAge.TotalSeconds * time.TimestampFrequency);
        foreach (var activation in catalog.Activations)
        {
            if (activation.LastActivity <= idleSince)
                activation.PostCollectIfIdle(idleSince);
        }
    }

    public void Dispose() => _timer?.Dispose();
}
