namespace AdWallet.Grains.Collections;

/// <summary>
/// A list of structs that grows by whole chunks and never moves what it holds. A list that doubles copies everything
/// into fresh memory each time it grows; a list of millions of rows that only ever grows should not. Not thread-safe.
/// </summary>
internal sealed class ChunkedList<T>
    where T : struct
{
    private const int ChunkShift = 12;
    private const int ChunkLength = 1 << ChunkShift;
    private const int ChunkMask = ChunkLength - 1;

    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public ref T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return ref _chunks[index >> ChunkShift][index & ChunkMask];
        }
    }

    public void Add(in T item)
    {
        // Not zeroed: a row is written before it can be read.
        if ((Count & ChunkMask) == 0) _chunks.Add(GC.AllocateUninitializedArray<T>(ChunkLength));
        _chunks[^1][Count & ChunkMask] = item;
        Count++;
    }
}
