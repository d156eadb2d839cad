using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Granary.Networking;

/// <summary>
/// The bytes a connection's writer loop is about to send: frames are appended, their length prefixes patched in place,
/// and the whole batch goes to the socket in one write. Owned by one writer loop, reused across batches.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 64 * 1024;

    private byte[] _buffer = new byte[InitialSize];
    private int _length;

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Leaves room for an int to patch later; returns where it is.</summary>
    public int ReserveInt32()
    {
        Ensure(4);
        var position = _length;
        _length += 4;
        return position;
    }

    public void PatchInt32(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position), value);

    /// <summary>Patches the length prefix at <paramref name="position"/> with the number of bytes written after it.</summary>
    public int PatchLength(int position)
    {
        var length = _length - position - 4;
        PatchInt32(position, length);
        return length;
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>A length-prefixed UTF-8 string.</summary>
    public void WriteString(string value)
    {
        var position = ReserveInt32();
        Ensure(Encoding.UTF8.GetMaxByteCount(value.Length));
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        PatchLength(position);
    }

    /// <summary>Length-prefixed bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>Drops what was written after <paramref name="length"/>: a frame that could not be completed.</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Empties the buffer after a batch was sent, giving back memory a very large frame took.</summary>
    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > 16 * InitialSize) _buffer = new byte[InitialSize];
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 256);
        if (_buffer.Length - _length >= needed) return;
        var size = Math.Max(_buffer.Length * 2, _length + needed);
        Array.Resize(ref _buffer, (int)Math.Min(size, Array.MaxLength));
    }
}
