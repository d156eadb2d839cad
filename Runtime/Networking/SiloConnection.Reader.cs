using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Granary.Messaging;

namespace Granary.Networking;

internal sealed partial class SiloConnection
{
    /// <summary>Longer call chains are refused: no real call path is this deep, and the receiver builds one object per link.</summary>
    private const int MaxCallChainLength = 4096;

    private static readonly Action<Task, object?> s_onIncomingAnswered = static (_, state) =>
    {
        var answered = (IncomingCall)state!;
        answered.Connection.OnIncomingAnswered(answered);
    };

    /// <summary>Takes frames as they arrive, until the other side closes the connection or breaks the protocol.</summary>
    private async Task ReadLoopAsync(Stream stream)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        try
        {
            var preambleRead = false;
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (!preambleRead && buffer.Length >= Wire.Preamble.Length)
                {
                    CheckPreamble(buffer.Slice(0, Wire.Preamble.Length));
                    buffer = buffer.Slice(Wire.Preamble.Length);
                    preambleRead = true;
                }
                if (preambleRead)
                {
                    while (TryReadFrame(ref buffer, out var frame)) Handle(frame);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) return;
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private void CheckPreamble(ReadOnlySequence<byte> received)
    {
        Span<byte> preamble = stackalloc byte[Wire.Preamble.Length];
        received.CopyTo(preamble);
        if (!preamble.SequenceEqual(Wire.Preamble))
            throw new InvalidDataException($"{Endpoint} does not speak the Granary silo protocol (version 1).");
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < Wire.LengthPrefixSize) return false;
        Span<byte> prefix = stackalloc byte[Wire.LengthPrefixSize];
        buffer.Slice(0, Wire.LengthPrefixSize).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 1 || length > _context.Options.MaxFrameSize)
        {
            throw new FrameTooLargeException(
                $"{Endpoint} sent a frame of {(uint)length} bytes; {TransportOptions.SectionName}:{nameof(TransportOptions.MaxFrameSize)} " +
                $"is {_context.Options.MaxFrameSize}. Closing the connection.");
        }
        if (buffer.Length < Wire.LengthPrefixSize + length) return false;
        frame = buffer.Slice(Wire.LengthPrefixSize, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    private void Handle(in ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            Handle(frame.FirstSpan);
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(rented);
            Handle(rented.AsSpan(0, (int)frame.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Handle(ReadOnlySpan<byte> frame)
    {
        var reader = new FrameReader(frame);
        var kind = (FrameKind)reader.ReadByte();
        switch (kind)
        {
            case FrameKind.Request:
                HandleRequest(ref reader);
                break;
            case FrameKind.Response:
                HandleResponse(ref reader);
                break;
            case FrameKind.Exception:
                HandleException(ref reader);
                break;
            default:
                throw new InvalidDataException($"{Endpoint} sent a frame of unknown kind {(byte)kind}.");
        }
    }

    private void HandleResponse(ref FrameReader reader)
    {
        // A call that timed out or was failed already has left _pending; its late answer is dropped.
        if (!_pending.TryRemove(reader.ReadInt64(), out var call)) return;
        try
        {
            MethodCodec.For(call.Method).SetResult(call, reader.ReadBytes(), _context.Json);
        }
        catch (Exception exception)
        {
            call.Fail(new InvalidOperationException($"The answer to {call} from {Endpoint} could not be read: {exception.Message}", exception));
        }
    }

    private void HandleException(ref FrameReader reader)
    {
        if (!_pending.TryRemove(reader.ReadInt64(), out var call)) return;
        Exception error;
        try
        {
            error = ExceptionCodec.Read(reader.ReadBytes(), _context.Json);
        }
        catch (Exception exception)
        {
            error = new RemoteGrainException(exception.GetType().FullName!, $"The exception answering {call} from {Endpoint} could not be read: {exception.Message}");
        }
        call.Fail(error);
    }

    private void HandleRequest(ref FrameReader reader)
    {
        var correlationId = reader.ReadInt64();
        var generation = reader.ReadInt64();
        if (_inbound is null)
        {
            Answer(OutgoingMessage.Refusal(correlationId, new SiloUnavailableException($"{Endpoint} sent a call to a process that does not take calls.")));
            return;
        }
        if (generation != _inbound.LocalAddress.Generation)
        {
            // A call for an earlier (or later) start of this silo: its activations are not here, so it must not run.
            Answer(OutgoingMessage.Refusal(correlationId, new SiloUnavailableException(
                $"The call was sent to silo generation {generation}, but {_inbound.LocalAddress} answered: that silo is gone.")));
            return;
        }

        GrainCall call;
        MethodCodec codec;
        try
        {
            var target = new GrainId(reader.ReadString(), reader.ReadString());
            codec = MethodCodec.ForKey(reader.ReadBytes());
            var hops = reader.ReadInt32();
            var callChain = ReadCallChain(ref reader);
            var arguments = codec.ReadArguments(ref reader, _context.Json);
            call = codec.CreateCall(target, arguments, callChain, _inbound.Timeouts);
            call.Hops = hops;
        }
        catch (Exception exception) when (exception is not InvalidDataException)
        {
            Answer(OutgoingMessage.Refusal(correlationId, exception));
            return;
        }

        // The caller has its own timeout; this one bounds how long this silo holds a call nobody may be waiting for.
        _inbound.Timeouts.Register(call);
        Interlocked.Increment(ref _incomingInFlight);
        codec.ResultOf(call).ContinueWith(
            s_onIncomingAnswered, new IncomingCall(this, correlationId, call, codec),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            _inbound.Handler.Receive(call);
        }
        catch (Exception exception)
        {
            call.Fail(exception);
        }
    }

    private static CallChain? ReadCallChain(ref FrameReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > MaxCallChainLength)
            throw new InvalidDataException($"A call chain of {count} links is not accepted.");
        if (count == 0) return null;
        var links = new (GrainId Grain, long RequestId)[count];
        for (var i = 0; i < count; i++) links[i] = (new GrainId(reader.ReadString(), reader.ReadString()), reader.ReadInt64());
        CallChain? chain = null;
        for (var i = count - 1; i >= 0; i--) chain = new CallChain(links[i].Grain, links[i].RequestId, chain);
        return chain;
    }

    private void OnIncomingAnswered(IncomingCall answered)
    {
        Answer(OutgoingMessage.Response(answered.CorrelationId, answered.Call, answered.Codec));
        if (Interlocked.Decrement(ref _incomingInFlight) == 0) Volatile.Read(ref _incomingDrained)?.TrySetResult();
    }

    /// <summary>Queues an answer; when the connection has closed, the caller learns of it from the closed connection.</summary>
    private void Answer(in OutgoingMessage message) => _outgoing.Writer.TryWrite(message);

    private sealed record IncomingCall(SiloConnection Connection, long CorrelationId, GrainCall Call, MethodCodec Codec);
}
