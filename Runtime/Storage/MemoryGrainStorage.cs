using System.Globalization;

namespace Granary.Storage;

/// <summary>
/// Grain storage in process memory, for tests. An instance can be shared by several silos of a test cluster, and
/// survives their restarts, like a database would.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string State, GrainId Grain), Row> _rows = [];

    public Task<GrainStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue((stateName, grainId), out var row)
                ? new GrainStateRecord(row.Data, Format(row.Version))
                : GrainStateRecord.None);
        }
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, GrainStateWrite write, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Completed(() => Write(stateName, grainId, write));
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredGrainStateWrite write, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Completed(() =>
            {
                var etag = Write(stateName, grainId, write.Take());
                write.Executed(etag);
                return etag;
            });
        }
    }

    /// <summary>A write's outcome, reported through the task as a provider that writes later reports it.</summary>
    private static Task<string> Completed(Func<string> write)
    {
        try
        {
            return Task.FromResult(write());
        }
        catch (Exception exception)
        {
            return Task.FromException<string>(exception);
        }
    }

    /// <summary>Applies a write; called under the lock.</summary>
    private string Write(string stateName, GrainId grainId, GrainStateWrite write)
    {
        var key = (stateName, grainId);
        _rows.TryGetValue(key, out var row);
        CheckETag(row, write.ExpectedETag, stateName, grainId);
        if (write.Data is null && row is null)
            throw new ArgumentException("A write that keeps the stored data needs a stored row.", nameof(write));
        row ??= new Row();
        var last = row.Journal.Count > 0 ? row.Journal[^1].Sequence : 0;
        foreach (var entry in write.NewEntries)
        {
            if (entry.Sequence <= last)
                throw new InconsistentStateException($"Journal entry {entry.Sequence} of {stateName} on {grainId} does not follow entry {last}.");
            last = entry.Sequence;
        }
        row.Journal.AddRange(write.NewEntries);
        foreach (var item in write.Items ?? []) row.Items[item.Key] = item.Data;
        row.Data = write.Data ?? row.Data;
        row.Version++;
        _rows[key] = row;
        return Format(row.Version);
    }

    public Task<string> ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var key = (stateName, grainId);
            _rows.TryGetValue(key, out var row);
            CheckETag(row, expectedETag, stateName, grainId);
            row ??= new Row();
            row.Data = null;
            row.Journal.Clear();
            row.Items.Clear();
            row.Version++;
            _rows[key] = row;
            return Task.FromResult(Format(row.Version));
        }
    }

    public Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        lock (_lock)
        {
            if (!_rows.TryGetValue((stateName, grainId), out var row))
                return Task.FromResult<IReadOnlyList<JournalRecord>>([]);
            var page = new List<JournalRecord>(Math.Min(query.Limit, row.Journal.Count));
            for (var i = row.Journal.Count - 1; i >= 0 && page.Count < query.Limit; i--)
            {
                var entry = row.Journal[i];
                if (query.BeforeSequence is { } before && entry.Sequence >= before) continue;
                if (query.Categories is { } categories && (entry.Category is null || !categories.Contains(entry.Category))) continue;
                page.Add(entry);
            }
            return Task.FromResult<IReadOnlyList<JournalRecord>>(page);
        }
    }

    public Task<IReadOnlyList<GrainStateItem>> ReadItemsAsync(string stateName, GrainId grainId, string? afterKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            if (!_rows.TryGetValue((stateName, grainId), out var row)) return Task.FromResult<IReadOnlyList<GrainStateItem>>([]);
            IReadOnlyList<GrainStateItem> page = [.. row.Items
                .Where(item => afterKey is null || string.CompareOrdinal(item.Key, afterKey) > 0)
                .Take(limit)
                .Select(item => new GrainStateItem(item.Key, item.Value))];
            return Task.FromResult(page);
        }
    }

    private static void CheckETag(Row? row, string? expected, string stateName, GrainId grainId)
    {
        var stored = row is null ? null : Format(row.Version);
        if (stored != expected)
            throw new InconsistentStateException(
                $"ETag mismatch writing {stateName} of {grainId}: stored {stored ?? "none"}, expected {expected ?? "none"}.",
                stored, expected);
    }

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    private sealed class Row
    {
        public string? Data;
        public long Version;
        public readonly List<JournalRecord> Journal = [];
        public readonly SortedDictionary<string, string> Items = new(StringComparer.Ordinal);
    }
}
