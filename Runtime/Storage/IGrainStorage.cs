namespace Granary.Storage;

/// <summary>
/// A grain storage provider: rows of grain state with an ETag, and append-only journal entries written in the
/// same atomic step as the state. Providers store serialized text; the runtime owns serialization.
/// </summary>
/// <remarks>
/// Every write is conditional. <see cref="GrainStateWrite.ExpectedETag"/> must equal the ETag stored now
/// (<c>null</c> when no row exists), otherwise the provider changes nothing and throws <see cref="InconsistentStateException"/>.
/// A row that was cleared keeps its ETag (it is a tombstone), so a stale writer can never recreate it.
/// </remarks>
public interface IGrainStorage
{
    Task<GrainStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>Writes the state and appends the new journal entries atomically. Returns the new ETag.</summary>
    Task<string> WriteAsync(string stateName, GrainId grainId, GrainStateWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes what <paramref name="write"/> holds when the provider runs it, rather than when it is called, so that a
    /// write queued behind others keeps gathering the state's changes until the provider is ready for it. Returns the new ETag.
    /// </summary>
    Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredGrainStateWrite write, CancellationToken cancellationToken = default);

    /// <summary>Removes the state and its journal, leaving a tombstone. Returns the new ETag.</summary>
    Task<string> ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Journal entries newest first: those with a sequence below <see cref="JournalQuery.BeforeSequence"/>, of the categories if any are given.</summary>
    Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default);

    /// <summary>The state's items in key order (ordinal): those with a key after <paramref name="afterKey"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<GrainStateItem>> ReadItemsAsync(string stateName, GrainId grainId, string? afterKey, int limit, CancellationToken cancellationToken = default);
}

/// <summary>What is stored for one grain state: <see cref="Data"/> is null when there is no state; <see cref="ETag"/> is null when there has never been a row.</summary>
public sealed record GrainStateRecord(string? Data, string? ETag)
{
    public static readonly GrainStateRecord None = new(null, null);
}

/// <param name="Data">The serialized state; null keeps the stored data (only for a row that exists), so a write can append entries without rewriting a large state.</param>
/// <param name="ExpectedETag">The ETag the writer read; null when it read no row.</param>
/// <param name="NewEntries">Journal entries to append, in increasing sequence. Sequences are unique per grain state.</param>
/// <param name="Items">Items to store beside the state, replacing those with the same key; the others are kept.</param>
public sealed record GrainStateWrite(string? Data, string? ExpectedETag, IReadOnlyList<JournalRecord> NewEntries, IReadOnlyList<GrainStateItem>? Items = null)
{
    public static GrainStateWrite StateOnly(string data, string? expectedETag) => new(data, expectedETag, []);
}

/// <summary>
/// A write whose content is taken when the provider runs it. A state issues its next write as soon as the previous one
/// has been taken, so a provider with a single writer finds it queued when it is done with the previous one, and that
/// write carries every change made until then: the writes of one state follow each other without waiting for each
/// other's commit to travel back to the grain.
/// </summary>
/// <remarks>
/// The provider calls <see cref="Take"/> once, when it runs the write, and then <see cref="Executed"/> with the ETag
/// the write gives the row if it commits. It runs the writes of one state in the order they were issued, and takes
/// the next one only after the previous one has executed or failed. The next write expects the ETag passed to
/// <see cref="Executed"/>, so if the previous write does not commit, the next one fails its check as well.
/// </remarks>
public interface IDeferredGrainStateWrite
{
    /// <summary>The content to write now. Called once, by the provider's writer.</summary>
    GrainStateWrite Take();

    /// <summary>Called once the write's statements have succeeded, with the ETag it gives the row if it commits.</summary>
    void Executed(string etag);
}

/// <summary>
/// A part of a large state kept in a row of its own beside it, so that a write stores only the parts that changed
/// rather than the whole state. Written only with the state, in the same atomic step; cleared with it.
/// </summary>
public sealed record GrainStateItem(string Key, string Data);

/// <summary>One append-only journal entry. <see cref="Category"/> is an optional label that reads can filter on.</summary>
public sealed record JournalRecord(long Sequence, string? Category, DateTimeOffset Timestamp, string Data);

/// <param name="BeforeSequence">Only entries with a smaller sequence; null for the newest.</param>
/// <param name="Limit">At most this many entries (1 or more).</param>
/// <param name="Categories">Only entries of these categories; null for all.</param>
public sealed record JournalQuery(long? BeforeSequence, int Limit, IReadOnlyList<string>? Categories = null);
