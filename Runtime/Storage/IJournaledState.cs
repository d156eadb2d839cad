namespace Granary;

/// <summary>
/// Durable state with an append-only journal, for ledgers: <see cref="Append"/> stages entries, and
/// <see cref="WriteStateAsync"/> stores the state and every staged entry in one atomic, ETag-checked write. Either all
/// of it is stored or none of it.
/// </summary>
/// <remarks>
/// When <typeparamref name="TState"/> implements <see cref="IJournalProjection{TEntry}"/>, the state is a projection of
/// its journal: <see cref="Append"/> applies the entry to it, a snapshot of the state is stored only every so many
/// entries, and reading the state replays the entries written after the snapshot. A write then costs what its new
/// entries cost, however large the state grows.
/// <para>
/// Writes are pipelined and coalesced: one write at a time is open, waiting for the provider, and every call made
/// meanwhile (from interleaved requests of a reentrant grain) joins it. The provider takes the staged entries only
/// when it runs the write, and the next write opens as soon as it has, so a write queued behind a commit carries
/// every change made until the writer is free. Writes of one state commit in order; if one fails, those after it fail too.
/// </para>
/// </remarks>
public interface IJournaledState<TState, TEntry> where TState : new()
{
    TState State { get; set; }

    string? Etag { get; }

    bool RecordExists { get; }

    /// <summary>The sequence of the last entry appended (staged, being written or stored); 0 before the first.</summary>
    long Version { get; }

    /// <summary>Entries staged for the next write.</summary>
    int PendingCount { get; }

    /// <summary>Stages an entry for the next write and returns its sequence. A category lets reads filter entries.</summary>
    long Append(TEntry entry, string? category = null);

    Task ReadStateAsync();

    /// <summary>Completes when the state and every entry appended before the call are stored.</summary>
    Task WriteStateAsync();

    /// <summary>Completes when every write already started or queued has finished; starts none.</summary>
    Task WhenWrittenAsync();

    /// <summary>Stored entries newest first: those before <paramref name="beforeSequence"/>, of <paramref name="categories"/> if given.</summary>
    Task<IReadOnlyList<JournalEntry<TEntry>>> ReadEntriesAsync(long? beforeSequence, int limit, IReadOnlyList<string>? categories = null);
}

/// <summary>State rebuilt from journal entries: each entry changes the state only through <see cref="Apply"/>.</summary>
public interface IJournalProjection<in TEntry>
{
    void Apply(TEntry entry);
}

/// <summary>
/// A projection too large to rewrite whole at every snapshot: the parts that changed since the last snapshot are stored
/// as items beside it (<see cref="Granary.Storage.GrainStateItem"/>), in the same write, and the snapshot leaves them
/// out. A snapshot then costs what changed since the last one, however large the state grows.
/// </summary>
public interface IItemizedProjection
{
    /// <summary>The type items are serialized as.</summary>
    Type ItemType { get; }

    /// <summary>The items changed since the last call, each with its key; from then on they count as stored.</summary>
    IReadOnlyList<KeyValuePair<string, object>> TakeChangedItems();

    /// <summary>Restores an item stored with the snapshot. Called in key order, after the snapshot is read and before the journal after it is replayed.</summary>
    void LoadItem(object item);
}

/// <summary>A stored journal entry.</summary>
public sealed record JournalEntry<TEntry>(long Sequence, string? Category, DateTimeOffset Timestamp, TEntry Value);
