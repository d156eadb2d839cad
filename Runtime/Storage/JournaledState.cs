namespace Granary.Storage;

/// <summary>
/// The runtime's <see cref="IJournaledState{TState, TEntry}"/>. The stored document holds the state and the sequence
/// of the last entry it includes, so state and journal can never disagree about what was written. Its methods are
/// awaited from grain code and resume on the grain's turn.
/// </summary>
internal sealed class JournaledState<TState, TEntry> : IJournaledState<TState, TEntry>, IGrainStateParticipant
    where TState : new()
{
    private const int ReplayPageSize = 1_000;
    private const int ItemPageSize = 1_000;

    private readonly GrainStateBinding _binding;
    private readonly WriteCoalescer _writes;
    private readonly List<JournalRecord> _pending = [];
    private long _lastSequence;
    private long _snapshotSequence;
    private long _snapshotLength;
    private long _journalLengthSinceSnapshot;
    private Exception? _failure;

    public JournaledState(GrainStateBinding binding)
    {
        _binding = binding;
        _writes = new WriteCoalescer(WriteNowAsync);
    }

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public long Version => _lastSequence;

    public int PendingCount => _pending.Count;

    private static bool IsProjection => typeof(IJournalProjection<TEntry>).IsAssignableFrom(typeof(TState));

    public long Append(TEntry entry, string? category = null)
    {
        ThrowIfFailed();
        var sequence = _lastSequence + 1;
        _pending.Add(new JournalRecord(sequence, category, _binding.Time.GetUtcNow(), _binding.Serializer.Serialize(entry)));
        _lastSequence = sequence;
        (State as IJournalProjection<TEntry>)?.Apply(entry);
        return sequence;
    }

    public async Task ReadStateAsync()
    {
        var record = await _binding.Storage.ReadAsync(_binding.StateName, _binding.GrainId);
        var document = record.Data is null ? null : _binding.Serializer.Deserialize<Document>(record.Data);
        var state = document is null ? new TState() : document.State;
        var lastSequence = document?.Version ?? 0;
        long replayedLength = 0;
        if (state is IItemizedProjection itemized && document is not null) await LoadItemsAsync(itemized);
        if (IsProjection && document is not null)
        {
            foreach (var entry in await ReadEntriesAfterAsync(document.Version))
            {
                ((IJournalProjection<TEntry>)state!).Apply(_binding.Serializer.Deserialize<TEntry>(entry.Data));
                lastSequence = entry.Sequence;
                replayedLength += entry.Data.Length;
            }
        }

        State = state;
        _snapshotSequence = document?.Version ?? 0;
        _snapshotLength = record.Data?.Length ?? 0;
        _journalLengthSinceSnapshot = replayedLength;
        _lastSequence = lastSequence;
        _pending.Clear();
        Etag = record.ETag;
        RecordExists = document is not null;
        _failure = null;
    }

    public Task WriteStateAsync()
    {
        ThrowIfFailed();
        return _writes.WriteAsync();
    }

    public Task WhenWrittenAsync() => _writes.WhenIdleAsync();

    public async Task<IReadOnlyList<JournalEntry<TEntry>>> ReadEntriesAsync(long? beforeSequence, int limit, IReadOnlyList<string>? categories = null)
    {
        var records = await _binding.Storage.ReadJournalAsync(_binding.StateName, _binding.GrainId, new JournalQuery(beforeSequence, limit, categories));
        return [.. records.Select(r => new JournalEntry<TEntry>(r.Sequence, r.Category, r.Timestamp, _binding.Serializer.Deserialize<TEntry>(r.Data)))];
    }

    private async Task WriteNowAsync()
    {
        ThrowIfFailed();
        try
        {
            var entries = _pending.ToArray();
            _pending.Clear();
            var sequence = _lastSequence;
            foreach (var entry in entries) _journalLengthSinceSnapshot += entry.Data.Length;
            var snapshot = ShouldSnapshot(sequence);
            var data = snapshot ? _binding.Serializer.Serialize(new Document(sequence, State)) : null;
            var items = snapshot && State is IItemizedProjection itemized ? SerializeChangedItems(itemized) : null;
            Etag = await _binding.Storage.WriteAsync(_binding.StateName, _binding.GrainId, new GrainStateWrite(data, Etag, entries, items));
            RecordExists = true;
            if (data is not null)
            {
                _snapshotSequence = sequence;
                _snapshotLength = data.Length;
                _journalLengthSinceSnapshot = 0;
            }
        }
        catch (Exception exception)
        {
            _failure = exception;
            _binding.OnWriteFailed(exception);
            throw;
        }
    }

    /// <summary>
    /// A projection stores its snapshot on the first write, then once SnapshotInterval entries have followed it and
    /// they weigh at least twice as much as it does. A large state is rewritten ever more rarely (each snapshot at
    /// least three times the size of the one before), so writes stay proportional to their new entries, and a replay
    /// reads at most about twice the state's size in entries.
    /// </summary>
    private bool ShouldSnapshot(long sequence) =>
        !IsProjection
        || !RecordExists
        || (sequence - _snapshotSequence >= _binding.SnapshotInterval && _journalLengthSinceSnapshot >= 2 * _snapshotLength);

    private List<GrainStateItem> SerializeChangedItems(IItemizedProjection itemized)
    {
        var changed = itemized.TakeChangedItems();
        var items = new List<GrainStateItem>(changed.Count);
        foreach (var (key, item) in changed) items.Add(new GrainStateItem(key, _binding.Serializer.Serialize(item, itemized.ItemType)));
        return items;
    }

    private async Task LoadItemsAsync(IItemizedProjection itemized)
    {
        string? after = null;
        while (true)
        {
            var page = await _binding.Storage.ReadItemsAsync(_binding.StateName, _binding.GrainId, after, ItemPageSize);
            foreach (var item in page) itemized.LoadItem(_binding.Serializer.Deserialize(item.Data, itemized.ItemType));
            if (page.Count < ItemPageSize) return;
            after = page[^1].Key;
        }
    }

    private async Task<List<JournalRecord>> ReadEntriesAfterAsync(long sequence)
    {
        var entries = new List<JournalRecord>();
        long? before = null;
        while (true)
        {
            var page = await _binding.Storage.ReadJournalAsync(_binding.StateName, _binding.GrainId, new JournalQuery(before, ReplayPageSize));
            foreach (var entry in page)
            {
                if (entry.Sequence <= sequence)
                {
                    entries.Reverse();
                    return entries;
                }
                entries.Add(entry);
            }
            if (page.Count < ReplayPageSize)
            {
                entries.Reverse();
                return entries;
            }
            before = page[^1].Sequence;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new InconsistentStateException(
                $"State {_binding.StateName} of {_binding.GrainId} failed to write earlier and cannot be changed again by this activation.",
                innerException: _failure);
    }

    private sealed record Document(long Version, TState State);
}
