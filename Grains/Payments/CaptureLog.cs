using AdWallet.Grains.Collections;

namespace AdWallet.Grains.Payments;

/// <summary>
/// Every capture of the simulated gateway, in the order they were made, kept for as long as the process lives. A hot
/// wallet makes tens of thousands of captures a second, so a capture is a row without references (its texts are kept
/// in a <see cref="TextArena"/>) and adds no object for the garbage collector to trace. Not thread-safe.
/// </summary>
internal sealed class CaptureLog
{
    private readonly TextArena _text = new();
    private readonly TextIndex _references;
    private readonly ChunkedList<Row> _rows = new();
    private readonly NameTable _keys = new();

    public CaptureLog() => _references = new TextIndex(_text);

    public int Count => _rows.Count;

    /// <summary>Adds a capture and returns its index.</summary>
    public int Add(string reference, long amount, IReadOnlyDictionary<string, string>? metadata)
    {
        // The metadata first: if it cannot be kept, the reference must not be numbered either.
        var row = new Row(metadata is null ? null : AddMetadata(metadata), amount, 0);
        _references.Add(reference);
        _rows.Add(row);
        return _rows.Count - 1;
    }

    /// <summary>The index of a reference's first capture, or -1.</summary>
    public int FindFirst(string reference) => _references.FindFirst(reference);

    /// <summary>The indexes of a reference's captures, oldest first.</summary>
    public List<int> FindAll(string reference) => _references.FindAll(reference);

    public ReadOnlySpan<char> Reference(int index) => _references[index];

    public long Amount(int index) => _rows[index].Amount;

    public long RefundedAmount(int index) => _rows[index].RefundedAmount;

    public void AddRefund(int index, long amount) => _rows[index].RefundedAmount += amount;

    public Capture ToCapture(int index, string captureId)
    {
        var row = _rows[index];
        return new Capture(captureId, Reference(index).ToString(), row.Amount, row.RefundedAmount, row.Metadata is { } metadata ? ReadMetadata(metadata) : null);
    }

    /// <summary>
    /// Each pair as the number of its key (every capture of a wallet's top-up has the same few keys, kept once in
    /// <see cref="_keys"/>), then the value's length in two characters, then the value.
    /// </summary>
    private TextSlice AddMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        Span<char> packed = stackalloc char[512];
        var at = 0;
        foreach (var (key, value) in metadata)
        {
            if (at + 3 + value.Length > packed.Length)
            {
                var larger = new char[Math.Max(2 * packed.Length, at + 3 + value.Length)];
                packed[..at].CopyTo(larger);
                packed = larger;
            }
            packed[at++] = KeyNumber(key);
            packed[at++] = (char)(value.Length >> 16);
            packed[at++] = (char)value.Length;
            value.CopyTo(packed[at..]);
            at += value.Length;
        }
        return _text.Add(packed[..at]);
    }

    private char KeyNumber(string key)
    {
        var number = _keys.Number(key);
        return number <= char.MaxValue ? (char)number : throw new InvalidOperationException($"The gateway keeps at most {char.MaxValue + 1} metadata keys.");
    }

    private Dictionary<string, string> ReadMetadata(TextSlice slice)
    {
        var packed = _text[slice];
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var at = 0; at < packed.Length;)
        {
            var key = _keys[packed[at]];
            var length = (packed[at + 1] << 16) | packed[at + 2];
            metadata[key] = packed.Slice(at + 3, length).ToString();
            at += 3 + length;
        }
        return metadata;
    }

    private record struct Row(TextSlice? Metadata, long Amount, long RefundedAmount);
}
