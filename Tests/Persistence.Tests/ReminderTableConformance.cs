using Orleans;
using Orleans.Runtime;

namespace AdWallet.Persistence.Tests;

/// <summary>The behaviour every Orleans <see cref="IReminderTable"/> provider must have. Each provider runs it through a subclass.</summary>
public abstract class ReminderTableConformance
{
    private static readonly DateTime StartAt = new(2025, 3, 1, 0, 0, 0, 250, DateTimeKind.Utc);

    /// <summary>A started, empty reminder table. Called once or more per test.</summary>
    protected abstract Task<IReminderTable> CreateTableAsync();

    protected static GrainId NewGrainId() => GrainId.Create("campaign", Guid.NewGuid().ToString("N"));

    protected static ReminderEntry Reminder(GrainId grainId, string name = "end", int minutes = 60, string? eTag = null) => new()
    {
        GrainId = grainId,
        ReminderName = name,
        StartAt = StartAt.AddMinutes(minutes).AddTicks(7),
        Period = TimeSpan.FromMinutes(minutes) + TimeSpan.FromTicks(3),
        ETag = eTag!,
    };

    /// <summary>A reminder as text, for comparing: <see cref="ReminderEntry"/> has no value equality.</summary>
    protected static string Show(ReminderEntry? entry) => entry is null
        ? "<none>"
        : $"{entry.GrainId}|{entry.ReminderName}|{entry.StartAt.Ticks}|{entry.StartAt.Kind}|{entry.Period.Ticks}|{entry.ETag}";

    protected static IEnumerable<string> Show(ReminderTableData data) => data.Reminders.Select(Show).Order(StringComparer.Ordinal);

    protected static IEnumerable<string> Show(IEnumerable<ReminderEntry> entries) => entries.Select(Show).Order(StringComparer.Ordinal);

    private static async Task<ReminderEntry> StoreAsync(IReminderTable table, ReminderEntry entry)
    {
        entry.ETag = (await table.UpsertRow(entry))!;
        return entry;
    }

    [Fact]
    public async Task An_upserted_row_reads_back_with_its_etag()
    {
        var table = await CreateTableAsync();
        var reminder = Reminder(NewGrainId());

        var eTag = await table.UpsertRow(reminder);

        Assert.False(string.IsNullOrEmpty(eTag));
        var read = await table.ReadRow(reminder.GrainId, reminder.ReminderName);
        Assert.Equal(Show(Reminder(reminder.GrainId, eTag: eTag)), Show(read));
        Assert.Equal(DateTimeKind.Utc, read!.StartAt.Kind);
    }

    [Fact]
    public async Task Reading_a_missing_row_returns_null()
    {
        var table = await CreateTableAsync();

        Assert.Null(await table.ReadRow(NewGrainId(), "end"));
        Assert.Empty((await table.ReadRows(NewGrainId())).Reminders);
    }

    [Fact]
    public async Task Rows_are_read_by_grain()
    {
        var table = await CreateTableAsync();
        var campaign = NewGrainId();
        var other = NewGrainId();
        var stored = new List<ReminderEntry>();
        foreach (var reminder in new[] { Reminder(campaign, "start"), Reminder(campaign, "end", 120), Reminder(other, "end", 30) })
            stored.Add(await StoreAsync(table, reminder));

        Assert.Equal(Show(stored.Take(2)), Show(await table.ReadRows(campaign)));
        Assert.Equal(Show(stored.Skip(2)), Show(await table.ReadRows(other)));
    }

    [Fact]
    public async Task Upserting_replaces_the_row_and_changes_its_etag()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var first = await table.UpsertRow(Reminder(grain, minutes: 10));

        var second = await table.UpsertRow(Reminder(grain, minutes: 20, eTag: "ignored"));

        Assert.NotEqual(first, second);
        Assert.Equal(Show(Reminder(grain, minutes: 20, eTag: second)), Show(await table.ReadRow(grain, "end")));
        Assert.Single((await table.ReadRows(grain)).Reminders);
    }

    [Fact]
    public async Task Removing_with_a_wrong_etag_returns_false_and_keeps_the_row()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var stale = await table.UpsertRow(Reminder(grain, minutes: 10));
        var current = await table.UpsertRow(Reminder(grain, minutes: 20));

        Assert.False(await table.RemoveRow(grain, "end", stale!));
        Assert.False(await table.RemoveRow(grain, "end", "0" + current));
        Assert.False(await table.RemoveRow(grain, "end", "not an etag"));
        Assert.False(await table.RemoveRow(grain, "other", current!));

        Assert.Equal(Show(Reminder(grain, minutes: 20, eTag: current)), Show(await table.ReadRow(grain, "end")));
    }

    [Fact]
    public async Task Removing_with_the_current_etag_removes_the_row_once()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var kept = await StoreAsync(table, Reminder(grain, "start"));
        var eTag = await table.UpsertRow(Reminder(grain));

        Assert.True(await table.RemoveRow(grain, "end", eTag!));
        Assert.False(await table.RemoveRow(grain, "end", eTag!));

        Assert.Null(await table.ReadRow(grain, "end"));
        Assert.Equal([Show(kept)], Show(await table.ReadRows(grain)));
    }

    [Fact]
    public async Task Removing_a_missing_row_returns_false()
    {
        var table = await CreateTableAsync();

        Assert.False(await table.RemoveRow(NewGrainId(), "end", "1"));
    }

    [Fact]
    public async Task The_etag_of_a_removed_row_does_not_match_a_row_of_the_same_name_added_later()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var removed = await table.UpsertRow(Reminder(grain));
        Assert.True(await table.RemoveRow(grain, "end", removed!));

        var added = await table.UpsertRow(Reminder(grain));

        Assert.NotEqual(removed, added);
        Assert.False(await table.RemoveRow(grain, "end", removed!));
        Assert.NotNull(await table.ReadRow(grain, "end"));
    }

    [Fact]
    public async Task Concurrent_upserts_all_succeed_with_distinct_etags()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();

        var eTags = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => table.UpsertRow(Reminder(grain, $"r{i % 5}", i + 1)))));

        Assert.Equal(eTags.Length, eTags.Distinct().Count());
        var rows = (await table.ReadRows(grain)).Reminders;
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row => Assert.Contains(row.ETag, eTags));
    }

    [Fact]
    public async Task A_ring_range_holds_the_rows_whose_hash_is_above_its_begin_and_up_to_its_end()
    {
        var table = await CreateTableAsync();
        var stored = await StoreSpreadAsync(table, 40);
        var hashes = stored.Select(entry => entry.GrainId.GetUniformHashCode()).Order().ToArray();
        var begin = hashes[10];
        var end = hashes[25];

        var range = await table.ReadRows(begin, end);

        // (begin, end]: the row at begin belongs to the range before, the row at end to this one.
        Assert.Equal(Show(stored.Where(entry => Hash(entry) > begin && Hash(entry) <= end)), Show(range));
        Assert.Equal(15, range.Reminders.Count);
        Assert.DoesNotContain(range.Reminders, entry => Hash(entry) == begin);
        Assert.Contains(range.Reminders, entry => Hash(entry) == end);
    }

    [Fact]
    public async Task A_ring_range_whose_begin_is_not_below_its_end_wraps_around()
    {
        var table = await CreateTableAsync();
        var stored = await StoreSpreadAsync(table, 40);
        var hashes = stored.Select(Hash).Order().ToArray();
        var begin = hashes[30];
        var end = hashes[5];

        var wrapped = await table.ReadRows(begin, end);

        Assert.Equal(Show(stored.Where(entry => Hash(entry) > begin || Hash(entry) <= end)), Show(wrapped));
        Assert.Equal(9 + 6, wrapped.Reminders.Count);
        // The two ranges of a ring split in two hold every row once between them.
        var rest = await table.ReadRows(end, begin);
        Assert.Equal(Show(stored), Show([.. wrapped.Reminders, .. rest.Reminders]));
        // A range from a point to itself is the whole ring.
        Assert.Equal(Show(stored), Show(await table.ReadRows(begin, begin)));
        Assert.Equal(Show(stored), Show(await table.ReadRows(0u, 0u)));
        Assert.Equal(Show(stored), Show(await table.ReadRows(uint.MaxValue, uint.MaxValue)));
    }

    [Fact]
    public async Task Ring_ranges_at_the_ends_of_the_hash_space_are_exact()
    {
        var table = await CreateTableAsync();
        var stored = await StoreSpreadAsync(table, 20);
        var lowest = stored.Select(Hash).Min();
        var highest = stored.Select(Hash).Max();

        Assert.Equal(Show(stored.Where(entry => Hash(entry) > 0)), Show(await table.ReadRows(0u, uint.MaxValue)));
        Assert.Empty((await table.ReadRows(highest, uint.MaxValue)).Reminders);
        Assert.Equal(Show(stored.Where(entry => Hash(entry) == highest)), Show(await table.ReadRows(highest - 1, highest)));
        Assert.Equal(Show(stored.Where(entry => Hash(entry) == lowest)), Show(await table.ReadRows(uint.MaxValue, lowest)));
    }

    [Fact]
    public async Task Clearing_the_table_removes_every_row()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        await table.UpsertRow(Reminder(grain));

        await table.TestOnlyClearTable();

        Assert.Empty((await table.ReadRows(0u, 0u)).Reminders);
        Assert.Null(await table.ReadRow(grain, "end"));
    }

    private static uint Hash(ReminderEntry entry) => entry.GrainId.GetUniformHashCode();

    /// <summary>Reminders of grains whose hashes all differ, so that a range boundary falls on exactly one row.</summary>
    private static async Task<List<ReminderEntry>> StoreSpreadAsync(IReminderTable table, int count)
    {
        var stored = new List<ReminderEntry>();
        var hashes = new HashSet<uint>();
        while (stored.Count < count)
        {
            var grain = NewGrainId();
            if (!hashes.Add(grain.GetUniformHashCode())) continue;
            stored.Add(await StoreAsync(table, Reminder(grain, $"r{stored.Count}")));
        }
        return stored;
    }
}
