using System.Text.Json;
using Granary.Messaging;

namespace Granary.Networking;

internal sealed partial class SiloConnection
{
    /// <summary>A batch is sent once it holds this much, even if more frames wait.</summary>
    private const int BatchSize = 64 * 1024;

    /// <summary>Serializes queued frames into one buffer and sends it with one write, as long as frames keep coming.</summary>
    private async Task WriteLoopAsync(Stream stream)
    {
        var buffer = new FrameBuffer();
        using var json = new Utf8JsonWriter(buffer, _context.JsonWriterOptions);
        Wire.Preamble.CopyTo(buffer.GetSpan(Wire.Preamble.Length));
        buffer.Advance(Wire.Preamble.Length);
        await stream.WriteAsync(buffer.WrittenMemory);
        buffer.Reset();

        var queue = _outgoing.Reader;
        while (await queue.WaitToReadAsync())
        {
            while (buffer.Length < BatchSize && queue.TryRead(out var message)) WriteFrame(buffer, json, message);
            if (buffer.Length == 0) continue;
            await stream.WriteAsync(buffer.WrittenMemory);
            buffer.Reset();
        }
    }

    private void WriteFrame(FrameBuffer buffer, Utf8JsonWriter json, in OutgoingMessage message)
    {
        var start = buffer.Length;
        var lengthPosition = buffer.ReserveInt32();
        try
        {
            switch (message.Kind)
            {
                case FrameKind.Request:
                    WriteRequest(buffer, json, message);
                    break;
                case FrameKind.Response:
                    WriteResponse(buffer, json, message);
                    break;
                default:
                    WriteException(buffer, json, message.CorrelationId, message.Error!);
                    break;
            }
            var length = buffer.PatchLength(lengthPosition);
            if (length > _context.Options.MaxFrameSize)
            {
                buffer.Truncate(start);
                Refuse(buffer, json, message, new InvalidOperationException(
                    $"{Describe(message)} is {length} bytes, more than {TransportOptions.SectionName}:{nameof(TransportOptions.MaxFrameSize)} " +
                    $"({_context.Options.MaxFrameSize}); it was not sent."));
            }
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            buffer.Truncate(start);
            Refuse(buffer, json, message, new InvalidOperationException($"{Describe(message)} could not be serialized: {exception.Message}", exception));
        }
    }

    private void WriteRequest(FrameBuffer buffer, Utf8JsonWriter json, in OutgoingMessage message)
    {
        var call = message.Call!;
        buffer.WriteByte((byte)FrameKind.Request);
        buffer.WriteInt64(message.CorrelationId);
        buffer.WriteInt64(message.Generation);
        buffer.WriteString(call.Target.Type);
        buffer.WriteString(call.Target.Key);
        buffer.WriteBytes(message.Codec!.Key);
        buffer.WriteInt32(call.Hops);
        var countPosition = buffer.ReserveInt32();
        var count = 0;
        for (var link = call.CallChain; link is not null; link = link.Parent, count++)
        {
            buffer.WriteString(link.Grain.Type);
            buffer.WriteString(link.Grain.Key);
            buffer.WriteInt64(link.RequestId);
        }
        buffer.PatchInt32(countPosition, count);
        message.Codec.WriteArguments(buffer, json, call.Arguments, _context.Json);
    }

    private void WriteResponse(FrameBuffer buffer, Utf8JsonWriter json, in OutgoingMessage message)
    {
        var result = message.Codec!.ResultOf(message.Call!);
        if (!result.IsCompletedSuccessfully)
        {
            var error = result.IsCanceled
                ? new TaskCanceledException($"{message.Call} was canceled.")
                : result.Exception!.InnerException ?? result.Exception;
            WriteException(buffer, json, message.CorrelationId, error);
            return;
        }
        buffer.WriteByte((byte)FrameKind.Response);
        buffer.WriteInt64(message.CorrelationId);
        var position = buffer.ReserveInt32();
        json.Reset(buffer);
        message.Codec.WriteResult(json, message.Call!, _context.Json);
        json.Flush();
        buffer.PatchLength(position);
    }

    private void WriteException(FrameBuffer buffer, Utf8JsonWriter json, long correlationId, Exception error)
    {
        buffer.WriteByte((byte)FrameKind.Exception);
        buffer.WriteInt64(correlationId);
        var position = buffer.ReserveInt32();
        json.Reset(buffer);
        ExceptionCodec.Write(json, error, _context.Json);
        json.Flush();
        buffer.PatchLength(position);
    }

    /// <summary>A frame that cannot go out: a call fails here; an answer becomes the error, so the caller is not left waiting.</summary>
    private void Refuse(FrameBuffer buffer, Utf8JsonWriter json, in OutgoingMessage message, Exception error)
    {
        if (message.Kind == FrameKind.Request)
        {
            if (_pending.TryRemove(message.CorrelationId, out var call)) call.Fail(error);
            return;
        }
        // An exception that cannot be carried is carried as its type name and message.
        var replacement = message.Kind == FrameKind.Response ? error : new RemoteGrainException(message.Error!.GetType().FullName!, message.Error.Message);
        if (message.Kind == FrameKind.Exception && message.Error is RemoteGrainException) return;
        WriteFrame(buffer, json, OutgoingMessage.Refusal(message.CorrelationId, replacement));
    }

    private static string Describe(in OutgoingMessage message) => message.Kind switch
    {
        FrameKind.Request => $"The call {message.Call}",
        FrameKind.Response => $"The answer to {message.Call}",
        _ => $"The exception {message.Error!.GetType().Name} answering call {message.CorrelationId}",
    };
}
