namespace AdWallet.Grains.Collections;

/// <summary>
/// Texts numbered in the order they were added (0, 1, 2...), kept in a <see cref="TextArena"/>, and found by their value
/// through their hashes: neither a text nor its index entry is an object of its own. A text may be added more than
/// once. Not thread-safe.
/// </summary>
internal sealed class TextIndex
{
    private readonly TextArena _arena;
    private readonly ChunkedList<Entry> _entries = new();

    /// <summary>The newest text of each hash; older ones with the same hash follow <see cref="Entry.OlderWithSameHash"/>.</summary>
    private readonly Dictionary<int, int> _newestByHash = [];

    public TextIndex(TextArena arena) => _arena = arena;

    public int Count => _entries.Count;

    public ReadOnlySpan<char> this[int number] => _arena[_entries[number].Text];

    /// <summary>Adds a text and returns its number.</summary>
    public int Add(ReadOnlySpan<char> text)
    {
        var hash = string.GetHashCode(text);
        return Add(text, hash, _newestByHash.TryGetValue(hash, out var newest) ? newest : -1);
    }

    /// <summary>Adds a text that was not added before and returns its number; -1 if it was, and then adds nothing.</summary>
    public int TryAdd(ReadOnlySpan<char> text)
    {
        var hash = string.GetHashCode(text);
        var newest = _newestByHash.TryGetValue(hash, out var found) ? found : -1;
        for (var number = newest; number >= 0; number = _entries[number].OlderWithSameHash)
        {
            if (this[number].SequenceEqual(text)) return -1;
        }
        return Add(text, hash, newest);
    }

    /// <summary>The number of the first time the text was added, or -1.</summary>
    public int FindFirst(ReadOnlySpan<char> text)
    {
        var first = -1;
        for (var number = Newest(text); number >= 0; number = _entries[number].OlderWithSameHash)
        {
            if (this[number].SequenceEqual(text)) first = number;
        }
        return first;
    }

    /// <summary>The numbers of every time the text was added, oldest first.</summary>
    public List<int> FindAll(ReadOnlySpan<char> text)
    {
        var found = new List<int>();
        for (var number = Newest(text); number >= 0; number = _entries[number].OlderWithSameHash)
        {
            if (this[number].SequenceEqual(text)) found.Add(number);
        }
        found.Reverse();
        return found;
    }

    private int Add(ReadOnlySpan<char> text, int hash, int newestWithHash)
    {
        var number = _entries.Count;
        _entries.Add(new Entry(_arena.Add(text), newestWithHash));
        _newestByHash[hash] = number;
        return number;
    }

    private int Newest(ReadOnlySpan<char> text) => _newestByHash.TryGetValue(string.GetHashCode(text), out var newest) ? newest : -1;

    private readonly record struct Entry(TextSlice Text, int OlderWithSameHash);
}
