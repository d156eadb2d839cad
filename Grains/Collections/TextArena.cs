namespace AdWallet.Grains.Collections;

/// <summary>
/// Text kept for as long as its owner lives, copied into large shared blocks. A string kept here is not an object of
/// its own: the blocks hold no references, so the garbage collector neither scans nor copies what they hold, however
/// many strings there are. Not thread-safe.
/// </summary>
internal sealed class TextArena
{
    /// <summary>Characters per block: large enough that blocks go straight to the large object heap.</summary>
    private const int BlockLength = 1 << 16;

    private readonly List<char[]> _blocks = [];
    private int _used = BlockLength;

    public TextSlice Add(ReadOnlySpan<char> text)
    {
        if (_blocks.Count == 0 || text.Length > BlockLength - _used)
        {
            // Not zeroed: every character is written before it is read.
            _blocks.Add(GC.AllocateUninitializedArray<char>(Math.Max(BlockLength, text.Length)));
            _used = 0;
        }
        var slice = new TextSlice(_blocks.Count - 1, _used, text.Length);
        text.CopyTo(_blocks[^1].AsSpan(_used));
        _used += text.Length;
        return slice;
    }

    public ReadOnlySpan<char> this[TextSlice slice] => _blocks[slice.Block].AsSpan(slice.Start, slice.Length);
}

/// <summary>Where a text kept in a <see cref="TextArena"/> is.</summary>
internal readonly record struct TextSlice(int Block, int Start, int Length);
