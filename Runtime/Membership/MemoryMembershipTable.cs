using Granary.Hosting;

namespace Granary.Membership;

/// <summary>
/// A membership table in process memory, for tests. Share one instance between the silos of a test process, as they
/// would share the cluster's database. Every operation runs under one lock, so each conditional write is atomic.
/// </summary>
public sealed class MemoryMembershipTable : IMembershipTable
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<SiloAddress, MembershipEntry> _rows = [];

    public Task<IReadOnlyList<MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<IReadOnlyList<MembershipEntry>>(cancellationToken);
        lock (_lock) return Task.FromResult<IReadOnlyList<MembershipEntry>>([.. _rows.Values]);
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Address.Host, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.HostName, nameof(entry));
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        lock (_lock) return Task.FromResult(_rows.TryAdd(entry.Address, entry));
    }

    public Task<bool> UpdateRowAsync(SiloAddress address, SiloStatus status, DateTimeOffset iAmAliveAt, int activationCount,
        CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        lock (_lock)
        {
            if (!TryGetLiving(address, out var row)) return Task.FromResult(false);
            _rows[address] = row with { Status = status, IAmAliveAt = iAmAliveAt, ActivationCount = activationCount };
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeclareDeadAsync(SiloAddress address, DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        lock (_lock)
        {
            if (!TryGetLiving(address, out var row) || row.IAmAliveAt >= heartbeatBefore) return Task.FromResult(false);
            _rows[address] = row with { Status = SiloStatus.Dead };
            return Task.FromResult(true);
        }
    }

    public Task<int> CleanupDefunctAsync(DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<int>(cancellationToken);
        lock (_lock)
        {
            var defunct = _rows.Values.Where(row => row.Status == SiloStatus.Dead && row.IAmAliveAt < heartbeatBefore).Select(row => row.Address).ToList();
            foreach (var address in defunct) _rows.Remove(address);
            return Task.FromResult(defunct.Count);
        }
    }

    private bool TryGetLiving(SiloAddress address, out MembershipEntry row) =>
        _rows.TryGetValue(address, out row!) && row.Status != SiloStatus.Dead;
}
