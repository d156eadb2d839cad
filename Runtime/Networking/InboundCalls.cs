using Granary.Messaging;

namespace Granary.Networking;

/// <summary>What a listening silo's connections need to take calls: who it is and where the calls go.</summary>
internal sealed class InboundCalls(SiloAddress localAddress, Func<IIncomingCallHandler> handler, ResponseTimeouts timeouts)
{
    private IIncomingCallHandler? _handler;

    public SiloAddress LocalAddress { get; } = localAddress;

    /// <summary>Resolved on the first call: the handler (the router) depends on services that depend on the transport.</summary>
    public IIncomingCallHandler Handler => _handler ??= handler();

    public ResponseTimeouts Timeouts { get; } = timeouts;
}
