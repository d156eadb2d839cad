using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Granary.Messaging;
using Microsoft.Extensions.Logging;

namespace Granary.Networking;

/// <summary>
/// One TCP connection to another process, multiplexing many calls by correlation id. Calls this side sends wait in
/// <see cref="_pending"/> for their answer; calls the other side sends (on a listening silo's connections) run here and
/// are answered. A single writer loop sends queued frames in batches; a reader loop takes frames as they come. When
/// the connection is lost, every call waiting on it fails with <see cref="SiloUnavailableException"/> at once.
/// </summary>
internal sealed partial class SiloConnection
{
    private readonly Channel<OutgoingMessage> _outgoing = Channel.CreateUnbounded<OutgoingMessage>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly ConcurrentDictionary<long, GrainCall> _pending = new();
    private readonly TransportContext _context;
    private readonly InboundCalls? _inbound;
    private readonly Action<SiloConnection> _onClosed;
    private readonly string? _host;
    private readonly int _port;
    private Socket? _socket;
    private Task? _writerLoop;
    private int _started;
    private int _closed;
    private int _incomingInFlight;
    private TaskCompletionSource? _incomingDrained;

    private SiloConnection(string endpoint, TransportContext context, InboundCalls? inbound, Action<SiloConnection> onClosed)
    {
        Endpoint = endpoint;
        _context = context;
        _inbound = inbound;
        _onClosed = onClosed;
    }

    private SiloConnection(SiloAddress silo, TransportContext context, Action<SiloConnection> onClosed)
        : this(silo.Endpoint, context, null, onClosed)
    {
        _host = silo.Host;
        _port = silo.Port;
    }

    /// <summary>The other side, for logs: the silo endpoint this side connected to, or the address a connection came from.</summary>
    public string Endpoint { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Calls sent on this connection and not answered yet.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>A connection to a silo, opened on the first send.</summary>
    public static SiloConnection ToSilo(SiloAddress silo, TransportContext context, Action<SiloConnection> onClosed) =>
        new(silo, context, onClosed);

    /// <summary>A connection a listening silo accepted; it runs at once.</summary>
    public static SiloConnection Accepted(Socket socket, TransportContext context, InboundCalls inbound, Action<SiloConnection> onClosed)
    {
        var connection = new SiloConnection(socket.RemoteEndPoint?.ToString() ?? "unknown", context, inbound, onClosed) { _socket = socket };
        connection.Start();
        return connection;
    }

    /// <summary>
    /// Queues <paramref name="call"/> for the silo generation <paramref name="generation"/>. False when the connection is
    /// closed and the call was not taken: send it on a new connection.
    /// </summary>
    public bool TrySend(GrainCall call, long generation)
    {
        if (IsClosed) return false;
        Start();
        var codec = MethodCodec.For(call.Method);
        _pending[call.Id] = call;
        if (_outgoing.Writer.TryWrite(OutgoingMessage.Request(call, codec, generation)) && !IsClosed) return true;
        // Closed meanwhile: unless closing failed the call already, it was never sent.
        return !_pending.TryRemove(call.Id, out _);
    }

    /// <summary>Waits until the calls this side runs are answered and their answers sent, then closes.</summary>
    public async Task CloseGracefullyAsync(TimeSpan grace)
    {
        if (IsClosed) return;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _incomingDrained, drained);
        if (Volatile.Read(ref _incomingInFlight) == 0) drained.TrySetResult();
        try
        {
            await drained.Task.WaitAsync(grace);
            _outgoing.Writer.TryComplete();
            if (_writerLoop is { } writer) await writer.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            _context.Logger.LogWarning("Calls from {Endpoint} were still running {Grace} after the silo began to stop; closing the connection", Endpoint, grace);
        }
        Close(new SiloUnavailableException("The silo stopped."));
    }

    /// <summary>Closes at once: calls waiting for an answer on this connection fail with <see cref="SiloUnavailableException"/>.</summary>
    public void Close(Exception reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _outgoing.Writer.TryComplete();
        try
        {
            _socket?.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var call))
                call.Fail(new SiloUnavailableException($"The connection to silo {Endpoint} was lost before {call} was answered: {reason.Message}"));
        }
        Volatile.Read(ref _incomingDrained)?.TrySetResult();
        _onClosed(this);
    }

    private void Start()
    {
        if (Volatile.Read(ref _started) != 0 || Interlocked.Exchange(ref _started, 1) != 0) return;
        _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        Exception reason;
        try
        {
            _socket ??= await ConnectAsync();
            // Frames are small and answers are awaited: waiting to fill a segment (Nagle) would only add latency.
            _socket.NoDelay = true;
            using var stream = new NetworkStream(_socket, ownsSocket: false);
            _writerLoop = WriteLoopAsync(stream);
            var readerLoop = ReadLoopAsync(stream);
            var ended = await Task.WhenAny(_writerLoop, readerLoop);
            // The other loop fails once the socket is closed; that failure says nothing new.
            _ = (ended == readerLoop ? _writerLoop : readerLoop).ContinueWith(
                static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await ended;
            reason = ended == readerLoop ? new IOException("The other side closed the connection.") : new IOException("The connection was closed.");
            if (ended == readerLoop && !IsClosed)
                _context.Logger.LogInformation("Silo connection {Endpoint} was closed by the other side", Endpoint);
        }
        catch (Exception exception)
        {
            reason = exception;
            if (!IsClosed) LogLoss(exception);
        }
        Close(reason);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(_context.Options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_host!, _port, timeout.Token);
            return socket;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var why = exception is OperationCanceledException ? $"no connection within {_context.Options.ConnectTimeout}" : exception.Message;
            throw new SiloUnavailableException($"Could not connect to silo {Endpoint}: {why}.");
        }
    }

    private void LogLoss(Exception exception)
    {
        switch (exception)
        {
            case FrameTooLargeException:
            case InvalidDataException:
                _context.Logger.LogError("Closing silo connection {Endpoint}: {Reason}", Endpoint, exception.Message);
                break;
            case SiloUnavailableException:
                _context.Logger.LogWarning("{Reason}", exception.Message);
                break;
            case IOException or SocketException or ObjectDisposedException:
                _context.Logger.LogWarning("Silo connection {Endpoint} was lost: {Reason}", Endpoint, exception.Message);
                break;
            default:
                _context.Logger.LogError(exception, "Silo connection {Endpoint} failed", Endpoint);
                break;
        }
    }

    public override string ToString() => $"SiloConnection({Endpoint})";
}

/// <summary>A peer sent a frame larger than <see cref="TransportOptions.MaxFrameSize"/>.</summary>
internal sealed class FrameTooLargeException(string message) : IOException(message);
