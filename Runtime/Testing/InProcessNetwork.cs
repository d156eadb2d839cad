using System.Collections.Concurrent;
using Granary.Hosting;
using Granary.Messaging;

namespace Granary.TestingHost;

/// <summary>
/// Connects the silos of one test process without sockets: a call to another silo is handed to that silo's router as
/// it is. Tests of placement and failover use it to stay fast and deterministic; the TCP transport has tests of its own.
/// </summary>
public sealed class InProcessNetwork
{
    private readonly ConcurrentDictionary<SiloAddress, IIncomingCallHandler> _silos = new();
    private int _nextPort = 30000;
    private long _nextGeneration;

    internal SiloAddress Attach(IIncomingCallHandler handler)
    {
        var address = new SiloAddress("in-process", Interlocked.Increment(ref _nextPort), Interlocked.Increment(ref _nextGeneration));
        _silos[address] = handler;
        return address;
    }

    internal void Detach(SiloAddress address) => _silos.TryRemove(address, out _);

    internal void Send(SiloAddress silo, GrainCall call)
    {
        if (_silos.TryGetValue(silo, out var handler))
            handler.Receive(call);
        else
            call.Fail(new SiloUnavailableException($"Silo {silo} cannot be reached; {call} was not delivered."));
    }
}

/// <summary>One silo's place on an <see cref="InProcessNetwork"/>.</summary>
internal sealed class InProcessEndpoint(InProcessNetwork network, IServiceProvider services)
    : ISiloEndpoint, IRemoteCallSender, ISiloLifecycleParticipant, IDisposable
{
    private SiloAddress? _address;

    public SiloAddress Address => _address ?? throw new InvalidOperationException("The silo has not joined the network yet.");

    public int Stage => SiloLifecycleStage.Transport;

    public void Send(SiloAddress silo, GrainCall call) => network.Send(silo, call);

    public Task OnStartAsync(CancellationToken cancellationToken)
    {
        _address = network.Attach((IIncomingCallHandler)services.GetService(typeof(IIncomingCallHandler))!);
        return Task.CompletedTask;
    }

    public Task OnStopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_address is { } address) network.Detach(address);
    }
}
