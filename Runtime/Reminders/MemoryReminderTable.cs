using System.Globalization;

namespace Granary.Reminders;

/// <summary>A reminder table in process memory, for tests. Share one instance between silos to survive restarts.</summary>
public sealed class MemoryReminderTable : IReminderTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId Grain, string Name), ReminderEntry> _rows = [];
    private long _nextETag;

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRowsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _rows.Values]);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _rows.Values.Where(r => r.GrainId == grainId)]);
    }

    public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_rows.GetValueOrDefault((grainId, reminderName)));
    }

    public Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var eTag = (++_nextETag).ToString(CultureInfo.InvariantCulture);
            _rows[(entry.GrainId, entry.ReminderName)] = entry with { ETag = eTag };
            return Task.FromResult(eTag);
        }
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var key = (grainId, reminderName);
            if (!_rows.TryGetValue(key, out var row) || row.ETag != eTag) return Task.FromResult(false);
            _rows.Remove(key);
            return Task.FromResult(true);
        }
    }
}
