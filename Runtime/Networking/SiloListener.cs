using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Granary.Hosting;
using Granary.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Networking;

/// <summary>
/// Takes connections from other silos and cluster clients on <see cref="SiloOptions.Port"/>, on every interface, and runs
/// the calls they send through the <see cref="IIncomingCallHandler"/>. Starts before membership, so the silo can
/// advertise <see cref="LocalAddress"/>; stops last, after the silo's own grains are gone, once the calls it still ran
/// are answered.
/// </summary>
internal sealed class SiloListener(
    IOptions<SiloOptions> siloOptions,
    TransportContext context,
    ResponseTimeouts timeouts,
    IServiceProvider services,
    ILogger<SiloListener> logger) : ISiloLifecycleParticipant, ISiloEndpoint, IDisposable
{
    private readonly ConcurrentDictionary<SiloConnection, byte> _connections = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private InboundCalls? _inbound;

    public int Stage => SiloLifecycleStage.Transport;

    /// <summary>Where other silos reach this one: the advertised host, the port bound, and this start's generation.</summary>
    public SiloAddress LocalAddress => _inbound?.LocalAddress ?? throw new InvalidOperationException("The silo listener has not started.");

    SiloAddress ISiloEndpoint.Address => LocalAddress;

    /// <summary>Connections accepted and still open.</summary>
    public int ConnectionCount => _connections.Count;

    public Task OnStartAsync(CancellationToken cancellationToken)
    {
        var options = siloOptions.Value;
        Socket socket;
        try
        {
            socket = Bind(options.Port);
        }
        catch (SocketException exception)
        {
            throw new InvalidOperationException(
                $"The silo cannot listen on {SiloOptions.SectionName}:{nameof(SiloOptions.Port)} {options.Port}: {exception.Message}", exception);
        }
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _socket = socket;
        _inbound = new InboundCalls(
            new SiloAddress(options.AdvertisedHost, port, SiloGeneration.Next()),
            services.GetRequiredService<IIncomingCallHandler>,
            timeouts);
        _acceptLoop = AcceptLoopAsync(socket, _inbound);
        logger.LogInformation("Silo listening on port {Port} as {SiloAddress}", port, _inbound.LocalAddress);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking connections, then closes each once the calls it brought are answered.</summary>
    public async Task OnStopAsync(CancellationToken cancellationToken)
    {
        StopAccepting();
        if (_acceptLoop is { } acceptLoop) await acceptLoop;
        var grace = context.Options.ShutdownGracePeriod;
        await Task.WhenAll(_connections.Keys.Select(c => c.CloseGracefullyAsync(grace)));
        logger.LogInformation("Silo listener {SiloAddress} stopped", _inbound?.LocalAddress);
    }

    /// <summary>Closes everything at once, as a crash would: callers see their connections drop.</summary>
    public void Dispose()
    {
        StopAccepting();
        CloseConnections();
    }

    /// <summary>Drops every accepted connection at once, as a network failure would; the silo goes on listening.</summary>
    public void CloseConnections()
    {
        foreach (var connection in _connections.Keys) connection.Close(new SiloUnavailableException("The silo dropped the connection."));
    }

    private static Socket Bind(int port)
    {
        // One dual-mode socket takes IPv4 and IPv6; where IPv6 is off, IPv4 alone.
        Socket socket;
        try
        {
            socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported or SocketError.AddressNotAvailable)
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        socket.Listen(512);
        return socket;
    }

    private async Task AcceptLoopAsync(Socket listener, InboundCalls inbound)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync();
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
            {
                return;
            }
            catch (SocketException exception)
            {
                logger.LogWarning("Accepting a silo connection failed: {Reason}", exception.Message);
                continue;
            }
            var connection = SiloConnection.Accepted(accepted, context, inbound, c => _connections.TryRemove(c, out _));
            _connections[connection] = 0;
            if (connection.IsClosed) _connections.TryRemove(connection, out _);
        }
    }

    private void StopAccepting()
    {
        try
        {
            _socket?.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
