using System.Buffers.Binary;
using System.Text;

namespace Granary.Networking;

/// <summary>Reads the fields of one received frame, in the order <see cref="FrameBuffer"/> wrote them.</summary>
internal ref struct FrameReader(ReadOnlySpan<byte> frame)
{
    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _position;

    public byte ReadByte() => _frame[_position++];

    public int ReadInt32()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(_frame[_position..]);
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(_frame[_position..]);
        _position += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadInt32();
        if (length < 0 || length > _frame.Length - _position)
            throw new InvalidDataException($"A field of {length} bytes does not fit in the frame.");
        var value = _frame.Slice(_position, length);
        _position += length;
        return value;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());
}
