namespace Granary;

/// <summary>
/// Durable state with an append-only journal, for ledgers: <see cref="Append"/> stages entries, and
/// <see cref="WriteStateAsync"/> stores the state and every staged entry in one atomic, ETag-checked write. Either all
/// of it is stored or none of it.
/// </summary>
public interface IJournaledState<TState, TEntry> where TState : new()
{
    TState State { get; set; }

    string? Etag { get; }

    bool RecordExists { get; }

    /// <summary>The sequence of the last entry appended (staged or stored); 0 before the first.</summary>
    long Version { get; }

    /// <summary>Entries staged for the next write.</summary>
    int PendingCount { get; }

    /// <summary>Stages an entry for the next write and returns its sequence. A category lets reads filter entries.</summary>
    long Append(TEntry entry, string? category = null);

    Task ReadStateAsync();

    /// <summary>Writes the state with the staged entries, atomically.</summary>
    Task WriteStateAsync();

    /// <summary>Stored entries newest first: those before <paramref name="beforeSequence"/>, of <paramref name="category"/> if given.</summary>
    Task<IReadOnlyList<JournalEntry<TEntry>>> ReadEntriesAsync(long? beforeSequence, int limit, string? category = null);
}

/// <summary>A stored journal entry.</summary>
public sealed record JournalEntry<TEntry>(long Sequence, string? Category, DateTimeOffset Timestamp, TEntry Value);
