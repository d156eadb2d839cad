namespace Granary.Storage;

/// <summary>
/// The runtime's <see cref="IJournaledState{TState, TEntry}"/>. The stored document holds the state and the sequence
/// of the last entry it includes, so state and journal can never disagree about what was written. Its methods are
/// awaited from grain code and resume on the grain's turn.
/// </summary>
/// <remarks>
/// Writes are deferred (<see cref="IDeferredGrainStateWrite"/>): at most one write is open, issued but not yet taken
/// by the provider, and every write requested meanwhile joins it. The provider takes the staged entries when it runs
/// the write, so a write queued behind the one being committed carries everything appended until the writer is free.
/// Entries and snapshots are staged under a lock because the provider takes them from its own thread; everything else
/// belongs to the grain's turn.
/// </remarks>
internal sealed class JournaledState<TState, TEntry> : IJournaledState<TState, TEntry>, IGrainStateParticipant
    where TState : new()
{
    private const int ReplayPageSize = 1_000;
    private const int ItemPageSize = 1_000;

    private readonly GrainStateBinding _binding;

    private readonly Lock _staging = new();
    private List<JournalRecord> _pending = [];
    private StagedSnapshot? _stagedSnapshot;
    private DeferredWrite? _open;
    private string? _executedETag;

    private Task _lastWrite = Task.CompletedTask;
    private long _writesIssued;
    private long _writesCompleted;
    private long _lastSequence;
    private bool _snapshotIssued;
    private long _snapshotSequence;
    private long _snapshotLength;
    private long _journalLengthSinceSnapshot;
    private Exception? _failure;

    public JournaledState(GrainStateBinding binding) => _binding = binding;

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public long Version => _lastSequence;

    public int PendingCount
    {
        get
        {
            lock (_staging) return _pending.Count;
        }
    }

    private static bool IsProjection => typeof(IJournalProjection<TEntry>).IsAssignableFrom(typeof(TState));

    public long Append(TEntry entry, string? category = null)
    {
        ThrowIfFailed();
        var sequence = _lastSequence + 1;
        var record = new JournalRecord(sequence, category, _binding.Time.GetUtcNow(), _binding.Serializer.Serialize(entry));
        lock (_staging) _pending.Add(record);
        _lastSequence = sequence;
        _journalLengthSinceSnapshot += record.Data.Length;
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
        _snapshotIssued = document is not null;
        _snapshotSequence = document?.Version ?? 0;
        _snapshotLength = record.Data?.Length ?? 0;
        _journalLengthSinceSnapshot = replayedLength;
        _lastSequence = lastSequence;
        lock (_staging)
        {
            _pending = [];
            _stagedSnapshot = null;
            _open = null;
            _executedETag = record.ETag;
        }
        _lastWrite = Task.CompletedTask;
        Etag = record.ETag;
        RecordExists = document is not null;
        _failure = null;
    }

    public Task WriteStateAsync()
    {
        ThrowIfFailed();
        // A state that is not a projection of its entries is stored whole by every write that carries a change to it.
        var snapshot = IsProjection ? null : Snapshot();
        lock (_staging)
        {
            if (_open is { } open)
            {
                if (snapshot is not null) _stagedSnapshot = snapshot.After(_stagedSnapshot);
                return open.Completion;
            }
        }

        if (snapshot is null && ShouldSnapshot()) snapshot = Snapshot();
        var write = new DeferredWrite(this, ++_writesIssued);
        lock (_staging)
        {
            if (snapshot is not null) _stagedSnapshot = snapshot.After(_stagedSnapshot);
            _open = write;
        }
        write.Completion = _lastWrite = WriteAsync(write);
        return write.Completion;
    }

    public async Task WhenWrittenAsync()
    {
        try
        {
            // Writes of one state complete in the order they were issued.
            await _lastWrite;
        }
        catch
        {
            // The callers of that write have its failure; this only waits for it.
        }
    }

    public async Task<IReadOnlyList<JournalEntry<TEntry>>> ReadEntriesAsync(long? beforeSequence, int limit, IReadOnlyList<string>? categories = null)
    {
        var records = await _binding.Storage.ReadJournalAsync(_binding.StateName, _binding.GrainId, new JournalQuery(beforeSequence, limit, categories));
        return [.. records.Select(r => new JournalEntry<TEntry>(r.Sequence, r.Category, r.Timestamp, _binding.Serializer.Deserialize<TEntry>(r.Data)))];
    }

    private async Task WriteAsync(DeferredWrite write)
    {
        try
        {
            var etag = await _binding.Storage.WriteAsync(_binding.StateName, _binding.GrainId, write);
            if (write.Number > _writesCompleted)
            {
                _writesCompleted = write.Number;
                Etag = etag;
            }
            RecordExists = true;
        }
        catch (Exception exception)
        {
            // The writes issued after this one fail their ETag check; the activation is told once.
            if (_failure is null)
            {
                _failure = exception;
                _binding.OnWriteFailed(exception);
            }
            throw;
        }
    }

    /// <summary>Called by the provider's writer: the entries and snapshot staged until now, expecting the ETag of the write before.</summary>
    private GrainStateWrite Take(DeferredWrite write)
    {
        lock (_staging)
        {
            if (_open == write) _open = null;
            var entries = _pending;
            _pending = [];
            var snapshot = _stagedSnapshot;
            _stagedSnapshot = null;
            return new GrainStateWrite(snapshot?.Data, _executedETag, entries, snapshot?.Items);
        }
    }

    private void Executed(string etag)
    {
        lock (_staging) _executedETag = etag;
    }

    /// <summary>
    /// A projection stores its snapshot on the first write, then once SnapshotInterval entries have followed it and
    /// they weigh at least twice as much as it does. A large state is rewritten ever more rarely (each snapshot at
    /// least three times the size of the one before), so writes stay proportional to their new entries, and a replay
    /// reads at most about twice the state's size in entries.
    /// </summary>
    private bool ShouldSnapshot() =>
        !_snapshotIssued
        || (_lastSequence - _snapshotSequence >= _binding.SnapshotInterval && _journalLengthSinceSnapshot >= 2 * _snapshotLength);

    /// <summary>The state as of the last entry appended, with the items changed since the last snapshot.</summary>
    private StagedSnapshot Snapshot()
    {
        var data = _binding.Serializer.Serialize(new Document(_lastSequence, State));
        var items = State is IItemizedProjection itemized ? SerializeChangedItems(itemized) : null;
        _snapshotIssued = true;
        _snapshotSequence = _lastSequence;
        _snapshotLength = data.Length;
        _journalLengthSinceSnapshot = 0;
        return new StagedSnapshot(data, items);
    }

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

    /// <summary>A serialized snapshot waiting for the open write. A later one replaces it, keeping its items that the later one does not rewrite.</summary>
    private sealed record StagedSnapshot(string Data, List<GrainStateItem>? Items)
    {
        public StagedSnapshot After(StagedSnapshot? earlier)
        {
            if (earlier?.Items is not { Count: > 0 } earlierItems) return this;
            if (Items is not { Count: > 0 }) return this with { Items = earlierItems };
            var rewritten = Items.Select(item => item.Key).ToHashSet(StringComparer.Ordinal);
            return this with { Items = [.. earlierItems.Where(item => !rewritten.Contains(item.Key)), .. Items] };
        }
    }

    private sealed class DeferredWrite(JournaledState<TState, TEntry> owner, long number) : IDeferredGrainStateWrite
    {
        public long Number { get; } = number;

        public Task Completion { get; set; } = Task.CompletedTask;

        public GrainStateWrite Take() => owner.Take(this);

        public void Executed(string etag) => owner.Executed(etag);
    }
}
