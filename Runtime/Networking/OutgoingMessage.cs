using Granary.Messaging;

namespace Granary.Networking;

/// <summary>A frame waiting for a connection's writer loop: a call to send, the answer to a call, or a refusal.</summary>
internal readonly record struct OutgoingMessage(FrameKind Kind, long CorrelationId, GrainCall? Call, MethodCodec? Codec, long Generation, Exception? Error)
{
    public static OutgoingMessage Request(GrainCall call, MethodCodec codec, long generation) =>
        new(FrameKind.Request, call.Id, call, codec, generation, null);

    /// <summary>The answer to <paramref name="call"/>, whose result is set: a value or an exception.</summary>
    public static OutgoingMessage Response(long correlationId, GrainCall call, MethodCodec codec) =>
        new(FrameKind.Response, correlationId, call, codec, 0, null);

    public static OutgoingMessage Refusal(long correlationId, Exception error) =>
        new(FrameKind.Exception, correlationId, null, null, 0, error);
}
