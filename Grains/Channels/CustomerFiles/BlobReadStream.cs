using AdWallet.Persistence;

namespace AdWallet.Grains.Channels.CustomerFiles;

/// <summary>A read-only, forward-only stream over a stored blob's chunks, holding one chunk at a time.</summary>
internal sealed class BlobReadStream(IBlobStorage storage, string blob, int chunks) : Stream
{
    private byte[] _chunk = [];
    private int _offset;
    private int _nextChunk;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _chunk.Length)
        {
            if (_nextChunk == chunks) return 0;
            _chunk = await storage.ReadChunkAsync(blob, _nextChunk, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Chunk {_nextChunk} of {blob} is missing.");
            _nextChunk++;
            _offset = 0;
        }
        var count = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Reading blocks on storage: only the asynchronous reads are offered, so that nothing blocks a grain's thread.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the blob asynchronously.");

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
