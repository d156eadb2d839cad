using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Persistence;

/// <summary>
/// The <see cref="IJournaledState{TState, TEvent}"/> of one activation. The stored document holds the state and the
/// sequence of the last entry it includes, so state and journal can never disagree about what was written.
/// </summary>
/// <remarks>
/// At most one write is open, issued but not yet taken by the provider, and every write requested meanwhile joins it.
/// The provider takes the staged entries, snapshot and items when it runs the write, so a write queued behind the one
/// being committed carries everything appended until the writer is free. They are staged under a lock because the
/// provider takes them from its own thread; everything else belongs to the grain's turn.
/// </remarks>
internal sealed class JournaledState<TState, TEvent> : IJournaledState<TState, TEvent>, ILifecycleParticipant<IGrainLifecycle>
    where TState : class, new()
{
    private const int ReplayPageSize = 1_000;

    private readonly string _stateName;
    private readonly IGrainContext _context;
    private readonly IJournalStorage _storage;
    private readonly TimeProvider _time;
    private readonly int _snapshotInterval;

    private readonly Lock _staging = new();
    private List<JournalRecord> _pending = [];
    private string? _stagedSnapshot;
    private Dictionary<(string Collection, string Key), StateItemRecord> _stagedItems = [];
    private readonly Dictionary<(string Collection, string Key), StateItemRecord> _writingItems = [];
    private DeferredWrite? _open;
    private string? _executedETag;

    private Task _lastWrite = Task.CompletedTask;
    private long _lastSequence;
    private bool _snapshotIssued;
    private long _snapshotSequence;
    private long _snapshotLength;
    private long _snapshotSize = 1;
    private long _journalLengthSinceSnapshot;
    private Exception? _failure;

    public JournaledState(string stateName, IGrainContext context, IJournalStorage storage, TimeProvider time, int snapshotInterval)
    {
        _stateName = stateName;
        _context = context;
        _storage = storage;
        _time = time;
        _snapshotInterval = snapshotInterval;
    }

    private TState _state = new();

    /// <summary>
    /// The state. Once a write has failed, the state in memory may be ahead of what is stored (the write may not have
    /// committed), so nothing may act on it any more: reading it throws, as changing it does, until the activation is
    /// gone and the next one reads what is stored.
    /// </summary>
    public TState State
    {
        get
        {
            ThrowIfFailed();
            return _state;
        }
    }

    private static bool IsProjection => typeof(IJournalProjection<TEvent>).IsAssignableFrom(typeof(TState));

    public long Version => _lastSequence;

    public int PendingCount
    {
        get
        {
            lock (_staging) return _pending.Count;
        }
    }

    public void Participate(IGrainLifecycle lifecycle) =>
        lifecycle.Subscribe($"{GetType().Name}:{_stateName}", GrainLifecycleStage.SetupState, ReadStateAsync);

    public long Append(TEvent entry, string? category = null)
    {
        ThrowIfFailed();
        var sequence = _lastSequence + 1;
        var record = new JournalRecord(sequence, category, _time.GetUtcNow(), StateJson.Serialize(entry));
        try
        {
            (_state as IJournalProjection<TEvent>)?.Apply(entry);
        }
        catch (Exception exception)
        {
            // An entry the state refuses breaks an invariant: the state may be half changed, so this activation
            // stores nothing more and goes; the next call starts from what is stored.
            Fail(exception, $"State {_stateName} refused entry {sequence}.");
            throw;
        }
        // An entry's items are staged with it, so that no write can take the entry without them.
        var items = TakeChangedItems();
        lock (_staging)
        {
            _pending.Add(record);
            StageItems(items);
        }
        _lastSequence = sequence;
        _journalLengthSinceSnapshot += record.Data.Length;
        return sequence;
    }

    public Task WriteStateAsync()
    {
        ThrowIfFailed();
        // A state that is not a projection of its entries is stored whole by every write.
        var wholeState = IsProjection ? null : Snapshot();
        lock (_staging)
        {
            if (wholeState is not null) _stagedSnapshot = wholeState;
            if (_open is { } open) return open.Completion;
        }

        var snapshot = wholeState is null && ShouldSnapshot() ? Snapshot() : null;
        var write = new DeferredWrite(this);
        lock (_staging)
        {
            if (snapshot is not null) _stagedSnapshot = snapshot;
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

    public async Task<IReadOnlyList<JournalEntry<TEvent>>> ReadEntriesAsync(long? beforeSequence, int limit, IReadOnlyList<string>? categories = null)
    {
        var records = await _storage.ReadJournalAsync(_stateName, _context.GrainId, new JournalQuery(beforeSequence, limit, categories));
        return [.. records.Select(r => new JournalEntry<TEvent>(r.Sequence, r.Category, r.Timestamp, StateJson.Deserialize<TEvent>(r.Data)))];
    }

    public async Task<T?> ReadItemAsync<T>(string collection, string key) where T : class
    {
        // Items staged or being written are the newest: a caller sees its own writes without waiting for them.
        StateItemRecord? item;
        lock (_staging)
        {
            if (!_stagedItems.TryGetValue((collection, key), out item)) _writingItems.TryGetValue((collection, key), out item);
        }
        item ??= await _storage.ReadItemAsync(_stateName, _context.GrainId, collection, key);
        return item is null ? null : StateJson.Deserialize<T>(item.Data);
    }

    public async Task<IReadOnlyList<StoredItem<T>>> ReadItemsAsync<T>(string collection, long? beforeSequence, int limit)
    {
        var items = await _storage.ReadItemsAsync(_stateName, _context.GrainId, new ItemQuery(collection, beforeSequence, limit));
        return [.. items.Select(i => new StoredItem<T>(i.Sequence, StateJson.Deserialize<T>(i.Data)))];
    }

    private async Task ReadStateAsync(CancellationToken cancellationToken)
    {
        var record = await _storage.ReadAsync(_stateName, _context.GrainId, cancellationToken);
        var document = record.Data is null ? null : StateJson.Deserialize<Document>(record.Data);
        var state = document?.State ?? new TState();
        var lastSequence = document?.Version ?? 0;
        var sizeAtSnapshot = SizeOf(state);
        long replayedLength = 0;
        if (document is not null)
        {
            foreach (var entry in IsProjection ? await ReadEntriesAfterAsync(document.Version, cancellationToken) : [])
            {
                ((IJournalProjection<TEvent>)state).Apply(StateJson.Deserialize<TEvent>(entry.Data));
                lastSequence = entry.Sequence;
                replayedLength += entry.Data.Length;
            }
        }
        // The items a replay touches were stored with the entries that touched them.
        (state as IItemizedProjection)?.TakeChangedItems();

        _state = state;
        _snapshotIssued = document is not null;
        _snapshotSequence = document?.Version ?? 0;
        _snapshotLength = record.Data?.Length ?? 0;
        _snapshotSize = sizeAtSnapshot;
        _journalLengthSinceSnapshot = replayedLength;
        _lastSequence = lastSequence;
        lock (_staging)
        {
            _pending = [];
            _stagedSnapshot = null;
            _stagedItems = [];
            _writingItems.Clear();
            _open = null;
            _executedETag = record.ETag;
        }
        _lastWrite = Task.CompletedTask;
        _failure = null;
    }

    private async Task WriteAsync(DeferredWrite write)
    {
        try
        {
            await _storage.WriteAsync(_stateName, _context.GrainId, write);
            lock (_staging)
            {
                foreach (var item in write.TakenItems)
                {
                    var key = (item.Collection, item.Key);
                    if (_writingItems.TryGetValue(key, out var writing) && ReferenceEquals(writing, item)) _writingItems.Remove(key);
                }
            }
        }
        catch (Exception exception)
        {
            // The writes issued after this one fail their ETag check. The activation cannot know what is stored (a
            // write that failed may have committed), so it goes, and the next call starts from what is stored.
            Fail(exception, $"State {_stateName} failed to write.");
            throw;
        }
    }

    /// <summary>Called by the provider's writer: what is staged until now, expecting the ETag of the write before.</summary>
    private JournalWrite Take(DeferredWrite write)
    {
        lock (_staging)
        {
            if (_open == write) _open = null;
            var entries = _pending;
            _pending = [];
            var snapshot = _stagedSnapshot;
            _stagedSnapshot = null;
            var items = _stagedItems.Count == 0 ? [] : _stagedItems.Values.ToArray();
            _stagedItems = [];
            foreach (var item in items) _writingItems[(item.Collection, item.Key)] = item;
            write.TakenItems = items;
            return new JournalWrite(snapshot, _executedETag, entries, items);
        }
    }

    private void Executed(string etag)
    {
        lock (_staging) _executedETag = etag;
    }

    private List<StateItemRecord> TakeChangedItems()
    {
        if (_state is not IItemizedProjection itemized) return [];
        var changed = itemized.TakeChangedItems();
        var items = new List<StateItemRecord>(changed.Count);
        foreach (var item in changed)
            items.Add(new StateItemRecord(item.Collection, item.Key, item.Sequence, StateJson.Serialize(item.Value, item.Value.GetType())));
        return items;
    }

    /// <summary>Stages items under the lock; a later version of an item replaces the staged one.</summary>
    private void StageItems(List<StateItemRecord> items)
    {
        foreach (var item in items) _stagedItems[(item.Collection, item.Key)] = item;
    }

    /// <summary>
    /// A snapshot is stored on the first write, then once SnapshotInterval entries have followed it and they weigh at
    /// least twice as much as the state would now. A large state is rewritten rarely, so writes stay proportional to
    /// their new entries, and a replay reads at most about twice the state's size in entries. The state's size now is
    /// estimated from the last snapshot's, scaled by how the projection's <see cref="ISizedProjection.Size"/> moved: a
    /// state that shrank (a window that forgot, charges that closed) is snapshotted soon, so that it is cheap to load.
    /// </summary>
    private bool ShouldSnapshot() =>
        !_snapshotIssued
        || (_lastSequence - _snapshotSequence >= _snapshotInterval && _journalLengthSinceSnapshot >= 2 * EstimatedLength());

    private long EstimatedLength() => _snapshotLength * Math.Max(1, SizeOf(_state)) / Math.Max(1, _snapshotSize);

    private static long SizeOf(TState state) => (state as ISizedProjection)?.Size ?? 1;

    private string Snapshot()
    {
        var data = StateJson.Serialize(new Document(_lastSequence, _state));
        _snapshotIssued = true;
        _snapshotSequence = _lastSequence;
        _snapshotLength = data.Length;
        _snapshotSize = SizeOf(_state);
        _journalLengthSinceSnapshot = 0;
        return data;
    }

    private async Task<List<JournalRecord>> ReadEntriesAfterAsync(long sequence, CancellationToken cancellationToken)
    {
        var entries = new List<JournalRecord>();
        long? before = null;
        while (true)
        {
            var page = await _storage.ReadJournalAsync(_stateName, _context.GrainId, new JournalQuery(before, ReplayPageSize), cancellationToken);
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

    private void Fail(Exception exception, string reason)
    {
        if (_failure is not null) return;
        _failure = exception;
        _context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, exception, reason));
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new InconsistentStateException(
                $"State {_stateName} of {_context.GrainId} failed to write earlier and cannot be changed again by this activation.",
                _failure);
    }

    private sealed record Document(long Version, TState State);

    private sealed class DeferredWrite(JournaledState<TState, TEvent> owner) : IDeferredJournalWrite
    {
        public Task Completion { get; set; } = Task.CompletedTask;

        /// <summary>The items this write took, to stop serving them from memory once they are stored.</summary>
        public IReadOnlyList<StateItemRecord> TakenItems { get; set; } = [];

        public JournalWrite Take() => owner.Take(this);

        public void Executed(string etag) => owner.Executed(etag);
    }
}
