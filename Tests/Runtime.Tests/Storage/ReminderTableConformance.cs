using Granary.Reminders;
using Xunit;

namespace Granary.Tests.Storage;

/// <summary>The behaviour every <see cref="IReminderTable"/> must have. Each provider runs it through a subclass.</summary>
public abstract class ReminderTableConformance
{
    private static readonly DateTimeOffset StartAt = new(2025, 3, 1, 0, 0, 0, 250, TimeSpan.FromHours(9));

    /// <summary>A started, empty reminder table. Called once or more per test.</summary>
    protected abstract Task<IReminderTable> CreateTableAsync();

    protected static GrainId NewGrainId() => GrainId.Create("campaign", Guid.NewGuid().ToString("N"));

    protected static ReminderEntry Reminder(GrainId grainId, string name = "end", int minutes = 60) =>
        new(grainId, name, StartAt.AddMinutes(minutes).AddTicks(7), TimeSpan.FromMinutes(minutes) + TimeSpan.FromTicks(3));

    [Fact]
    public async Task An_upserted_row_reads_back_with_its_etag()
    {
        var table = await CreateTableAsync();
        var reminder = Reminder(NewGrainId());

        var eTag = await table.UpsertRowAsync(reminder);

        Assert.False(string.IsNullOrEmpty(eTag));
        var read = await table.ReadRowAsync(reminder.GrainId, reminder.ReminderName);
        Assert.Equal(reminder with { ETag = eTag }, read);
        Assert.Equal(reminder.StartAt.UtcTicks, read!.StartAt.UtcTicks);
    }

    [Fact]
    public async Task Reading_a_missing_row_returns_null()
    {
        var table = await CreateTableAsync();

        Assert.Null(await table.ReadRowAsync(NewGrainId(), "end"));
        Assert.Empty(await table.ReadRowsAsync(NewGrainId()));
    }

    [Fact]
    public async Task Rows_are_read_by_grain_and_all_together()
    {
        var table = await CreateTableAsync();
        var campaign = NewGrainId();
        var other = NewGrainId();
        ReminderEntry[] reminders = [Reminder(campaign, "start"), Reminder(campaign, "end", 120), Reminder(other, "end", 30)];
        var stored = new List<ReminderEntry>();
        foreach (var reminder in reminders) stored.Add(reminder with { ETag = await table.UpsertRowAsync(reminder) });

        Assert.Equal(stored.Take(2).OrderBy(Key), (await table.ReadRowsAsync(campaign)).OrderBy(Key));
        Assert.Equal([stored[2]], await table.ReadRowsAsync(other));
        Assert.Equal(stored.OrderBy(Key), (await table.ReadAllRowsAsync()).OrderBy(Key));
    }

    [Fact]
    public async Task Upserting_replaces_the_row_and_changes_its_etag()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var first = await table.UpsertRowAsync(Reminder(grain, minutes: 10));

        var second = await table.UpsertRowAsync(Reminder(grain, minutes: 20) with { ETag = "ignored" });

        Assert.NotEqual(first, second);
        Assert.Equal(Reminder(grain, minutes: 20) with { ETag = second }, await table.ReadRowAsync(grain, "end"));
        Assert.Single(await table.ReadRowsAsync(grain));
    }

    [Fact]
    public async Task Removing_with_a_wrong_etag_returns_false_and_keeps_the_row()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var stale = await table.UpsertRowAsync(Reminder(grain, minutes: 10));
        var current = await table.UpsertRowAsync(Reminder(grain, minutes: 20));

        Assert.False(await table.RemoveRowAsync(grain, "end", stale));
        Assert.False(await table.RemoveRowAsync(grain, "end", "0" + current));
        Assert.False(await table.RemoveRowAsync(grain, "end", "not an etag"));

        Assert.Equal(Reminder(grain, minutes: 20) with { ETag = current }, await table.ReadRowAsync(grain, "end"));
    }

    [Fact]
    public async Task Removing_with_the_current_etag_removes_the_row_once()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var kept = Reminder(grain, "start");
        var keptETag = await table.UpsertRowAsync(kept);
        var eTag = await table.UpsertRowAsync(Reminder(grain));

        Assert.True(await table.RemoveRowAsync(grain, "end", eTag));
        Assert.False(await table.RemoveRowAsync(grain, "end", eTag));

        Assert.Null(await table.ReadRowAsync(grain, "end"));
        Assert.Equal([kept with { ETag = keptETag }], await table.ReadRowsAsync(grain));
    }

    [Fact]
    public async Task Removing_a_missing_row_returns_false()
    {
        var table = await CreateTableAsync();

        Assert.False(await table.RemoveRowAsync(NewGrainId(), "end", "1"));
    }

    [Fact]
    public async Task The_etag_of_a_removed_row_does_not_match_a_row_of_the_same_name_added_later()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var removed = await table.UpsertRowAsync(Reminder(grain));
        Assert.True(await table.RemoveRowAsync(grain, "end", removed));

        var added = await table.UpsertRowAsync(Reminder(grain));

        Assert.NotEqual(removed, added);
        Assert.False(await table.RemoveRowAsync(grain, "end", removed));
        Assert.NotNull(await table.ReadRowAsync(grain, "end"));
    }

    [Fact]
    public async Task Concurrent_upserts_all_succeed_with_distinct_etags()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();

        var eTags = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => table.UpsertRowAsync(Reminder(grain, $"r{i % 5}", i + 1)))));

        Assert.Equal(eTags.Length, eTags.Distinct().Count());
        var rows = await table.ReadRowsAsync(grain);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row => Assert.Contains(row.ETag, eTags));
    }

    private static string Key(ReminderEntry entry) => $"{entry.GrainId}|{entry.ReminderName}";
}
