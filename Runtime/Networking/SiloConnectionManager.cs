using System.Collections.Concurrent;
using Granary.Messaging;

namespace Granary.Networking;

/// <summary>
/// Sends grain calls to other silos: one connection per silo endpoint, opened on the first call to it and opened again
/// on the next call after it was lost. A call to an endpoint that cannot be reached fails with
/// <see cref="SiloUnavailableException"/> within <see cref="TransportOptions.ConnectTimeout"/>.
/// </summary>
internal sealed class SiloConnectionManager(TransportContext context) : IRemoteCallSender, IDisposable
{
    private readonly ConcurrentDictionary<string, SiloConnection> _connections = new(StringComparer.Ordinal);
    private readonly TransportContext _context = context;
    private volatile bool _disposed;

    /// <summary>The open (or opening) connections, for tests and diagnostics.</summary>
    public int ConnectionCount => _connections.Count;

    public void Send(SiloAddress silo, GrainCall call)
    {
        if (_disposed)
        {
            call.Fail(new SiloUnavailableException($"The transport is shut down; {call} was not sent to {silo}."));
            return;
        }
        // Twice at most: a connection found closed is replaced once; a new one only refuses if it closed at once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var connection = _connections.GetOrAdd(silo.Endpoint, static (_, state) => Create(state.silo, state.self), (silo, self: this));
            if (connection.TrySend(call, silo.Generation)) return;
            _connections.TryRemove(KeyValuePair.Create(silo.Endpoint, connection));
        }
        call.Fail(new SiloUnavailableException($"No connection to silo {silo} could be opened for {call}."));
    }

    /// <summary>Closes every connection; calls still waiting on them fail with <see cref="SiloUnavailableException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var connection in _connections.Values) connection.Close(new SiloUnavailableException("The transport is shutting down."));
    }

    private static SiloConnection Create(SiloAddress silo, SiloConnectionManager self) =>
        SiloConnection.ToSilo(silo, self._context, self.OnClosed);

    private void OnClosed(SiloConnection connection) =>
        _connections.TryRemove(KeyValuePair.Create(connection.Endpoint, connection));
}
