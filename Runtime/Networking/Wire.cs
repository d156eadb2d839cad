namespace Granary.Networking;

/// <summary>
/// The wire format. Each side of a connection first sends <see cref="Preamble"/>; then frames follow, each a 32-bit
/// little-endian length and that many bytes, the first of which is a <see cref="FrameKind"/>.
/// </summary>
internal static class Wire
{
    /// <summary>"GRNY" and the protocol version: a peer speaking anything else is disconnected at once.</summary>
    public static ReadOnlySpan<byte> Preamble => "GRNY\u0001\0\0\0"u8;

    public const int LengthPrefixSize = 4;
}

internal enum FrameKind : byte
{
    /// <summary>
    /// correlation id, target generation, grain type, grain key, method key, hops, call chain (count, then type, key,
    /// request id per link, innermost first), arguments (count, then each as length-prefixed JSON).
    /// </summary>
    Request = 1,

    /// <summary>correlation id, the result as length-prefixed JSON.</summary>
    Response = 2,

    /// <summary>correlation id, the exception as length-prefixed JSON (see <see cref="ExceptionCodec"/>).</summary>
    Exception = 3,
}
