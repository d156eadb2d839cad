using Granary.Catalog;
using Granary.GrainReferences;
using Granary.Messaging;
using Granary.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Granary.Hosting;

/// <summary>The runtime of one silo, as its activations and grain references see it.</summary>
internal sealed class SiloRuntime : IRuntimeClient
{
    private readonly Lazy<IReminderRegistry> _reminders;

    public SiloRuntime(
        IServiceProvider services,
        GrainCatalog catalog,
        GrainFactory grainFactory,
        ResponseTimeouts timeouts,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
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
        Catalog.Deliver(call);
    }
}
