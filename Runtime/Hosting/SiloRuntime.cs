using Granary.Catalog;
using Granary.GrainReferences;
using Granary.Messaging;
using Granary.Placement;
using Granary.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Granary.Hosting;

/// <summary>The runtime of one silo, as its activations and grain references see it.</summary>
internal sealed class SiloRuntime : IRuntimeClient
{
    private readonly Lazy<IReminderRegistry> _reminders;
    private readonly IGrainPlacement _placement;
    private readonly IRemoteCallSender? _remote;

    public SiloRuntime(
        IServiceProvider services,
        GrainCatalog catalog,
        GrainFactory grainFactory,
        ResponseTimeouts timeouts,
        TimeProvider time,
        IGrainPlacement placement,
        ILoggerFactory loggerFactory,
        IRemoteCallSender? remote = null)
    {
        _placement = placement;
        _remote = remote;
        Services = services;
        Catalog = catalog;
        GrainFactory = grainFactory;
        Timeouts = timeouts;
        Time = time;
        ActivationLogger = loggerFactory.CreateLogger("Granary.Activation");
        _reminders = new(services.GetRequiredService<IReminderRegistry>);
        catalog.Attach(this);
    }

    public IServiceProvider Services { get; }

    public GrainCatalog Catalog { get; }

    public IGrainFactory GrainFactory { get; }

    public ResponseTimeouts Timeouts { get; }

    public TimeProvider Time { get; }

    public ILogger ActivationLogger { get; }

    public GrainActivator Activator => field ??= Services.GetRequiredService<GrainActivator>();

    public IReminderRegistry Reminders => _reminders.Value;

    public void SendRequest(GrainCall call)
    {
        Timeouts.Register(call);
        Route(call);
    }

    /// <summary>Delivers a call to its grain's activation here, or sends it to the silo that places the grain.</summary>
    public void Route(GrainCall call)
    {
        var target = _placement.Place(call.Target);
        switch (target.Kind)
        {
            case PlacementKind.Local:
                Catalog.Deliver(call);
                break;
            case PlacementKind.Remote when _remote is not null:
                _remote.Send(target.Silo, call);
                break;
            default:
                call.Fail(new SiloUnavailableException($"No active silo can take {call} now; the cluster is starting or has lost its silos."));
                break;
        }
    }
}
