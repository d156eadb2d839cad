namespace AdWallet.Persistence;

/// <summary>
/// Large sets of short strings kept as rows rather than in any activation: a channel's friends, the phone numbers of a
/// customer file. Sets are named; adding a member that is there already changes nothing, so a batch replayed after a
/// crash leaves the set as one run would. Counting and comparing sets runs in the database.
/// </summary>
public interface IKeySetStorage
{
    /// <summary>Adds the members that are not in the set yet, in one transaction.</summary>
    Task AddAsync(string set, IReadOnlyCollection<string> members, CancellationToken cancellationToken = default);

    /// <summary>How many members the set has (0 for a set never written).</summary>
    Task<long> CountAsync(string set, CancellationToken cancellationToken = default);

    /// <summary>How many members <paramref name="set"/> and <paramref name="other"/> have in common.</summary>
    Task<long> CountCommonAsync(string set, string other, CancellationToken cancellationToken = default);

    /// <summary>Members in descending ordinal order: those below <paramref name="before"/> (all when null), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListDescendingAsync(string set, string? before, int limit, CancellationToken cancellationToken = default);

    /// <summary>Removes the members that are in the set.</summary>
    Task RemoveAsync(string set, IReadOnlyCollection<string> members, CancellationToken cancellationToken = default);

    /// <summary>Removes the whole set, in transactions of bounded size so that other writers are not held up.</summary>
    Task DeleteAsync(string set, CancellationToken cancellationToken = default);
}
