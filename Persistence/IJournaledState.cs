namespace AdWallet.Persistence;

/// <summary>
/// Durable state with an append-only journal, for ledgers: <see cref="Append"/> stages an entry and applies it to the
/// state, and <see cref="WriteStateAsync"/> stores the state, every staged entry and the history rows they changed in
/// one atomic, ETag-checked write. Either all of it is stored or none of it.
/// </summary>
/// <remarks>
/// When the state is a projection of its journal (<see cref="IJournalProjection{TEvent}"/>), a snapshot of it is
/// stored only every so many entries, and reading the state replays the entries written after the snapshot, so a
/// write costs what its new entries cost. Any other state is changed by the grain and stored whole by every write. History that the grain does not need for its next decision (charges, refunds, attempts)
/// is not kept in the state: <see cref="IItemizedProjection"/> hands it over as items, stored with the write and read
/// back page by page.
/// <para>
/// Writes are pipelined and coalesced: one write at a time is open, waiting for the provider, and every call made
/// meanwhile (from interleaved requests of a reentrant grain) joins it. Writes of one state commit in order; if one
/// fails, those after it fail too, and the activation is deactivated so the next call starts from what is stored.
/// Until it is gone, reading <see cref="State"/> throws <c>InconsistentStateException</c>: the state in memory may
/// hold changes that were never stored, and nothing may act on them (a retry would act on what never happened).
/// </para>
/// </remarks>
public interface IJournaledState<TState, TEvent> where TState : class, new()
{
    TState State { get; }

    /// <summary>The sequence of the last entry appended (staged, being written or stored); 0 before the first.</summary>
    long Version { get; }

    /// <summary>Entries staged for the next write.</summary>
    int PendingCount { get; }

    /// <summary>Stages an entry for the next write, applies it to a projection and returns its sequence. A category lets reads filter entries.</summary>
    long Append(TEvent entry, string? category = null);

    /// <summary>Completes when the state and every entry appended before the call are stored.</summary>
    Task WriteStateAsync();

    /// <summary>Completes when every write already started or queued has finished; starts none.</summary>
    Task WhenWrittenAsync();

    /// <summary>Stored entries newest first: those before <paramref name="beforeSequence"/>, of <paramref name="categories"/> if given.</summary>
    Task<IReadOnlyList<JournalEntry<TEvent>>> ReadEntriesAsync(long? beforeSequence, int limit, IReadOnlyList<string>? categories = null);

    /// <summary>A stored item, or null. Items changed by entries not yet written are not seen: await <see cref="WhenWrittenAsync"/> first.</summary>
    Task<T?> ReadItemAsync<T>(string collection, string key) where T : class;

    /// <summary>Stored items of a collection newest first: those below <paramref name="beforeSequence"/>.</summary>
    Task<IReadOnlyList<StoredItem<T>>> ReadItemsAsync<T>(string collection, long? beforeSequence, int limit);
}

/// <summary>State rebuilt from journal entries: each entry changes the state only through <see cref="Apply"/>.</summary>
public interface IJournalProjection<in TEvent>
{
    void Apply(TEvent entry);
}

/// <summary>
/// A projection that keeps its history out of memory: <see cref="IJournalProjection{TEvent}.Apply"/> records the
/// history rows an entry created or changed; they are taken right after the entry is applied and stored in the same
/// transaction as the entry.
/// </summary>
public interface IItemizedProjection
{
    /// <summary>The items changed by the entry just applied; from then on they count as staged.</summary>
    IReadOnlyList<StateItem> TakeChangedItems();
}

/// <summary>
/// A projection that says how large it is, in any unit roughly proportional to its stored size (entries of its
/// collections): the journaled state snapshots a state that has shrunk sooner than the size of its last snapshot says.
/// </summary>
public interface ISizedProjection
{
    long Size { get; }
}

/// <summary>A history row as the projection hands it over: serialized with the write that takes it.</summary>
public sealed record StateItem(string Collection, string Key, long Sequence, object Value);

/// <summary>A stored journal entry.</summary>
public sealed record JournalEntry<TEvent>(long Sequence, string? Category, DateTimeOffset Timestamp, TEvent Value);

/// <summary>A stored item with its place in its collection.</summary>
public sealed record StoredItem<T>(long Sequence, T Value);
