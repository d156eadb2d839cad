using Granary.Hosting;
using Granary.Membership;
using Granary.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Reminders;

/// <summary>
/// Keeps the schedule of the reminders this silo owns and fires them: each due tick activates the grain and calls
/// <see cref="IRemindable.ReceiveReminder"/>. The table is the truth; this is its in-memory timetable. A silo owns the
/// reminders of the grains it places (all of them in embedded mode, its share of the ring in a cluster), so a tick
/// usually runs on the silo where its grain already is.
/// </summary>
/// <remarks>
/// A reminder never overlaps itself: the next tick is scheduled when the current one has been handled. Ticks that
/// fell due while no silo ran are not replayed one by one; the latest of them fires once when the silo starts, and
/// once when a silo takes over the reminders of a silo that died. Reminders that move because a silo joined start at
/// their next tick: their previous owner fired the ones before.
/// </remarks>
internal sealed class LocalReminderService(
    IReminderTable table,
    IGrainFactory grainFactory,
    IGrainPlacement placement,
    IOptions<ReminderOptions> options,
    TimeProvider time,
    IEnumerable<IReminderTickListener> listeners,
    ILogger<LocalReminderService> logger) : IReminderRegistry, ISiloLifecycleParticipant, IClusterViewListener, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId Grain, string Name), ScheduledReminder> _reminders = [];
    private readonly PriorityQueue<ScheduledReminder, DateTimeOffset> _timetable = new();
    /// <summary>Timers refuse delays past about 49 days; a far reminder is reached by re-arming on the way.</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(1);

    private readonly TimeSpan _minimumPeriod = options.Value.MinimumPeriod;
    private readonly SemaphoreSlim _syncing = new(1, 1);
    private ITimer? _timer;
    private ITimer? _refreshTimer;
    private bool _running;

    public int Stage => SiloLifecycleStage.RuntimeServices;

    public async Task OnStartAsync(CancellationToken cancellationToken)
    {
        var rows = await table.ReadAllRowsAsync(cancellationToken);
        var owned = 0;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            foreach (var row in rows.Where(Owns))
            {
                Schedule(row, FirstDueCatchingUp(row, now));
                owned++;
            }
            _running = true;
            _timer = time.CreateTimer(static state => ((LocalReminderService)state!).FireDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ArmTimer();
        }
        if (placement is not LocalPlacement)
        {
            var period = options.Value.RefreshPeriod;
            _refreshTimer = time.CreateTimer(static state => _ = ((LocalReminderService)state!).RefreshAsync(), this, period, period);
        }
        logger.LogInformation("Loaded {Count} reminders", owned);
    }

    /// <summary>Takes the reminders of the grains this silo now places, and lets go of the others.</summary>
    public Task OnViewChangedAsync(ClusterView previous, ClusterView current) =>
        SyncAsync(row => previous.Ring.Owner(row.GrainId) is not { } owner || !current.IsActive(owner));

    /// <summary>Reads the table again and follows it: reminders written or removed by other silos for grains placed here.</summary>
    public Task RefreshAsync() => SyncAsync(static _ => true);

    /// <param name="catchUp">Whether a reminder newly taken should fire its latest missed tick (its previous owner is gone).</param>
    private async Task SyncAsync(Func<ReminderEntry, bool> catchUp)
    {
        await _syncing.WaitAsync();
        try
        {
            var rows = await table.ReadAllRowsAsync();
            int taken = 0, released = 0;
            lock (_lock)
            {
                if (!_running) return;
                var now = time.GetUtcNow();
                var owned = rows.Where(Owns).ToDictionary(row => (row.GrainId, row.ReminderName));
                foreach (var key in _reminders.Keys.Where(key => !owned.ContainsKey(key)).ToArray())
                {
                    _reminders.Remove(key);
                    released++;
                }
                foreach (var (key, row) in owned)
                {
                    if (_reminders.TryGetValue(key, out var known) && known.Entry.ETag == row.ETag) continue;
                    Schedule(row, row.StartAt > now ? row.StartAt : catchUp(row) ? LatestTickAtOrBefore(row, now) : NextTickAfter(row, now));
                    taken++;
                }
                ArmTimer();
            }
            if (taken + released > 0) logger.LogInformation("Took {Taken} reminders and released {Released}", taken, released);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Reading the reminder table failed; trying again at the next refresh");
        }
        finally
        {
            _syncing.Release();
        }
    }

    private bool Owns(ReminderEntry row) => placement.Place(row.GrainId).Kind == PlacementKind.Local;

    public Task OnStopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _running = false;
            _timer?.Dispose();
            _refreshTimer?.Dispose();
            _reminders.Clear();
            _timetable.Clear();
        }
    }

    public async Task<IGrainReminder> RegisterOrUpdateReminder(GrainId grainId, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        if (dueTime < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A reminder's due time must be zero or more.");
        if (period < _minimumPeriod)
            throw new ArgumentOutOfRangeException(nameof(period), period,
                $"A reminder's period must be at least {_minimumPeriod} ({ReminderOptions.SectionName}:{nameof(ReminderOptions.MinimumPeriod)}); use a grain timer for shorter ones.");

        var entry = new ReminderEntry(grainId, reminderName, time.GetUtcNow() + dueTime, period);
        var eTag = await table.UpsertRowAsync(entry);
        lock (_lock)
        {
            // A grain placed elsewhere now (the ring is changing) has its reminder taken by its owner's next refresh.
            if (_running && Owns(entry))
            {
                Schedule(entry with { ETag = eTag }, entry.StartAt);
                ArmTimer();
            }
        }
        return GrainReminder.From(entry);
    }

    public async Task UnregisterReminder(GrainId grainId, IGrainReminder reminder)
    {
        // The row may have been updated since the handle was made; remove whatever version is stored now.
        while (await table.ReadRowAsync(grainId, reminder.ReminderName) is { ETag: { } eTag })
        {
            if (await table.RemoveRowAsync(grainId, reminder.ReminderName, eTag)) break;
        }
        lock (_lock) _reminders.Remove((grainId, reminder.ReminderName));
    }

    public async Task<IGrainReminder?> GetReminder(GrainId grainId, string reminderName) =>
        await table.ReadRowAsync(grainId, reminderName) is { } row ? GrainReminder.From(row) : null;

    public async Task<IReadOnlyList<IGrainReminder>> GetReminders(GrainId grainId) =>
        [.. (await table.ReadRowsAsync(grainId)).Select(GrainReminder.From)];

    private void Schedule(ReminderEntry entry, DateTimeOffset due)
    {
        var reminder = new ScheduledReminder(entry) { Due = due };
        _reminders[(entry.GrainId, entry.ReminderName)] = reminder;
        _timetable.Enqueue(reminder, due);
    }

    private void ArmTimer()
    {
        // Entries of replaced, removed or firing reminders stay in the timetable until they surface; skip them here.
        while (_timetable.TryPeek(out var next, out var due) && !IsCurrent(next, due)) _timetable.Dequeue();
        if (_timetable.TryPeek(out _, out var earliest))
        {
            // Timers take a delay, not a time: if the clock moved while the delay was worked out, work it out again.
            DateTimeOffset now;
            do
            {
                now = time.GetUtcNow();
                var delay = earliest - now;
                _timer?.Change(delay <= TimeSpan.Zero ? TimeSpan.Zero : delay < MaxTimerDelay ? delay : MaxTimerDelay, Timeout.InfiniteTimeSpan);
            }
            while (time.GetUtcNow() != now);
        }
    }

    private bool IsCurrent(ScheduledReminder reminder, DateTimeOffset due) =>
        !reminder.Firing && reminder.Due == due
        && _reminders.TryGetValue((reminder.Entry.GrainId, reminder.Entry.ReminderName), out var current) && current == reminder;

    private void FireDue()
    {
        List<ScheduledReminder> due = [];
        lock (_lock)
        {
            if (!_running) return;
            var now = time.GetUtcNow();
            while (_timetable.TryPeek(out var next, out var at) && at <= now)
            {
                _timetable.Dequeue();
                if (!IsCurrent(next, at)) continue;
                next.Firing = true;
                due.Add(next);
            }
            ArmTimer();
        }
        foreach (var reminder in due) _ = FireAsync(reminder);
    }

    private async Task FireAsync(ScheduledReminder reminder)
    {
        var entry = reminder.Entry;
        var status = new TickStatus(entry.StartAt, entry.Period, reminder.Due);
        Exception? failure = null;
        try
        {
            await grainFactory.GetGrain<IRemindable>(entry.GrainId).ReceiveReminder(entry.ReminderName, status);
        }
        catch (Exception exception)
        {
            failure = exception;
            logger.LogWarning(exception, "Reminder {Reminder} of {GrainId} failed; it fires again at its next tick", entry.ReminderName, entry.GrainId);
        }
        foreach (var listener in listeners) listener.OnTickHandled(entry.GrainId, entry.ReminderName, status, failure);

        lock (_lock)
        {
            reminder.Firing = false;
            if (!_running || !_reminders.TryGetValue((entry.GrainId, entry.ReminderName), out var current) || current != reminder) return;
            var now = time.GetUtcNow();
            var next = reminder.Due + entry.Period;
            reminder.Due = next > now ? next : LatestTickAtOrBefore(entry, now);
            _timetable.Enqueue(reminder, reminder.Due);
            ArmTimer();
        }
    }

    private static DateTimeOffset FirstDueCatchingUp(ReminderEntry entry, DateTimeOffset now) =>
        entry.StartAt > now ? entry.StartAt : LatestTickAtOrBefore(entry, now);

    private static DateTimeOffset NextTickAfter(ReminderEntry entry, DateTimeOffset now) => LatestTickAtOrBefore(entry, now) + entry.Period;

    private static DateTimeOffset LatestTickAtOrBefore(ReminderEntry entry, DateTimeOffset now) =>
        entry.StartAt + TimeSpan.FromTicks((now - entry.StartAt).Ticks / entry.Period.Ticks * entry.Period.Ticks);

    private sealed class ScheduledReminder(ReminderEntry entry)
    {
        public ReminderEntry Entry { get; } = entry;

        public DateTimeOffset Due { get; set; }

        public bool Firing { get; set; }
    }
}
