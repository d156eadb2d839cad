using Orleans.Runtime;

namespace AdWallet.Persistence;

/// <summary>
/// Storage for journaled grain state (<see cref="IJournaledState{TState, TEvent}"/>): a row of state with an ETag, its
/// append-only journal, and items (history rows such as a wallet's charges) kept beside it. A write stores the state,
/// the new journal entries and the changed items in one transaction, conditional on the ETag read. Providers store
/// text; they know nothing of what the text means.
/// </summary>
/// <remarks>
/// Every write is conditional: <see cref="JournalWrite.ExpectedETag"/> must equal the ETag stored now (null when no row
/// exists), otherwise nothing changes and the provider throws Orleans' <c>InconsistentStateException</c>.
/// </remarks>
public interface IJournalStorage
{
    Task<JournalStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes what <paramref name="write"/> holds when the provider runs it, rather than when it is called, so that a
    /// write queued behind others keeps gathering the state's changes until the provider is ready for it. Writes of
    /// many grains share transactions (group commit). Returns the new ETag.
    /// </summary>
    Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredJournalWrite write, CancellationToken cancellationToken = default);

    /// <summary>Journal entries newest first: those with a sequence below <see cref="JournalQuery.BeforeSequence"/>, of the categories if any are given.</summary>
    Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default);

    /// <summary>One item of a collection, or null.</summary>
    Task<StateItemRecord?> ReadItemAsync(string stateName, GrainId grainId, string collection, string key, CancellationToken cancellationToken = default);

    /// <summary>Items of a collection newest first (highest sequence first): those below <see cref="ItemQuery.BeforeSequence"/>.</summary>
    Task<IReadOnlyList<StateItemRecord>> ReadItemsAsync(string stateName, GrainId grainId, ItemQuery query, CancellationToken cancellationToken = default);
}

/// <summary>What is stored for one journaled state: <see cref="Data"/> is null when there is none; <see cref="ETag"/> is null when there has never been a row.</summary>
public sealed record JournalStateRecord(string? Data, string? ETag)
{
    public static readonly JournalStateRecord None = new(null, null);
}

/// <param name="Data">The serialized state (a snapshot); null keeps the stored data (only for a row that exists), so a write can append entries without rewriting the state.</param>
/// <param name="ExpectedETag">The ETag the writer read; null when it read no row.</param>
/// <param name="NewEntries">Journal entries to append, in increasing sequence. Sequences are unique per state.</param>
/// <param name="Items">Items to store beside the state, replacing those with the same collection and key.</param>
public sealed record JournalWrite(string? Data, string? ExpectedETag, IReadOnlyList<JournalRecord> NewEntries, IReadOnlyList<StateItemRecord> Items);

/// <summary>
/// A write whose content is taken when the provider runs it. The provider calls <see cref="Take"/> once, when it runs
/// the write, then <see cref="Executed"/> with the ETag the write gives the row if it commits. It runs the writes of
/// one state in the order they were issued, and takes the next only after the previous one executed or failed.
/// </summary>
public interface IDeferredJournalWrite
{
    JournalWrite Take();

    void Executed(string etag);
}

/// <summary>One append-only journal entry. <see cref="Category"/> is an optional label that reads can filter on.</summary>
public sealed record JournalRecord(long Sequence, string? Category, DateTimeOffset Timestamp, string Data);

/// <param name="BeforeSequence">Only entries below this sequence; null for the newest.</param>
/// <param name="Categories">Only entries of these categories; null or empty for all.</param>
public sealed record JournalQuery(long? BeforeSequence, int Limit, IReadOnlyList<string>? Categories = null);

/// <summary>
/// A history row of a journaled state (a charge, a refund, an auto-pay attempt), kept in storage rather than in the
/// activation. Found by collection and key; listed by collection newest first by <see cref="Sequence"/>.
/// </summary>
public sealed record StateItemRecord(string Collection, string Key, long Sequence, string Data);

/// <param name="BeforeSequence">Only items below this sequence; null for the newest.</param>
public sealed record ItemQuery(string Collection, long? BeforeSequence, int Limit);
