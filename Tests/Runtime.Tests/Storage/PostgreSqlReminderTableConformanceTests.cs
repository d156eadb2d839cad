using Granary.PostgreSql;
using Granary.Reminders;
using Xunit;

namespace Granary.Tests.Storage;

[PostgreSqlTests]
public sealed class PostgreSqlReminderTableConformanceTests : ReminderTableConformance, IAsyncLifetime
{
    private readonly PostgreSqlTestDatabase _schema = new();

    protected override async Task<IReminderTable> CreateTableAsync() => new PostgreSqlReminderTable(await _schema.StartAsync());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task Rows_survive_reopening_the_database_and_etags_are_not_reused()
    {
        var grain = NewGrainId();
        var first = await _schema.StartAsync();
        var table = new PostgreSqlReminderTable(first);
        var eTag = await table.UpsertRowAsync(Reminder(grain));
        var removed = await table.UpsertRowAsync(Reminder(grain, "removed"));
        Assert.True(await table.RemoveRowAsync(grain, "removed", removed));
        await first.OnStopAsync(CancellationToken.None);

        var reopened = new PostgreSqlReminderTable(await _schema.StartAsync());

        Assert.Equal([Reminder(grain) with { ETag = eTag }], await reopened.ReadAllRowsAsync());
        var added = await reopened.UpsertRowAsync(Reminder(grain, "removed"));
        Assert.NotEqual(eTag, added);
        Assert.NotEqual(removed, added);
        Assert.True(await reopened.RemoveRowAsync(grain, "end", eTag));
    }

    [Fact]
    public async Task Silos_sharing_the_table_never_hand_out_the_same_etag()
    {
        var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _schema.StartAsync()));
        var tables = silos.Select(silo => new PostgreSqlReminderTable(silo)).ToArray();
        var grain = NewGrainId();

        var eTags = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => tables[i % tables.Length].UpsertRowAsync(Reminder(grain, $"r{i % 4}", i + 1)))));

        Assert.Equal(eTags.Length, eTags.Distinct().Count());
        var rows = await tables[0].ReadRowsAsync(grain);
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            Assert.Contains(row.ETag, eTags);
            Assert.False(await tables[1].RemoveRowAsync(grain, row.ReminderName, eTags.First(eTag => eTag != row.ETag)));
            Assert.True(await tables[2].RemoveRowAsync(grain, row.ReminderName, row.ETag!));
        }
        Assert.Empty(await tables[0].ReadAllRowsAsync());
    }

    [Fact]
    public async Task A_hash_range_holds_the_rows_above_its_begin_up_to_its_end()
    {
        var (table, rows) = await StoreRemindersAsync(200);
        var hashes = rows.Select(Hash).Distinct().Order().ToArray();
        uint begin = hashes[50], end = hashes[150];

        var inRange = await table.ReadRowsAsync(begin, end);

        AssertRows(rows.Where(row => Hash(row) > begin && Hash(row) <= end), inRange);
        Assert.DoesNotContain(inRange, row => Hash(row) == begin);
        Assert.Contains(inRange, row => Hash(row) == end);
        Assert.Equal(100, inRange.Select(Hash).Distinct().Count());
    }

    [Fact]
    public async Task A_hash_range_whose_begin_is_not_below_its_end_wraps_around_the_ring()
    {
        var (table, rows) = await StoreRemindersAsync(200);
        var hashes = rows.Select(Hash).Distinct().Order().ToArray();
        uint low = hashes[50], high = hashes[150];

        var wrapped = await table.ReadRowsAsync(high, low);
        var inside = await table.ReadRowsAsync(low, high);

        AssertRows(rows.Where(row => Hash(row) > high || Hash(row) <= low), wrapped);
        Assert.Contains(wrapped, row => Hash(row) == low);
        Assert.DoesNotContain(wrapped, row => Hash(row) == high);
        Assert.Contains(wrapped, row => Hash(row) == hashes[0]);
        Assert.Contains(wrapped, row => Hash(row) == hashes[^1]);
        // The two halves of the ring split the rows between them.
        AssertRows(rows, [.. wrapped, .. inside]);
        Assert.Empty(wrapped.Select(Key).Intersect(inside.Select(Key)));
    }

    [Fact]
    public async Task Hash_ranges_compare_hashes_as_unsigned_and_equal_bounds_are_the_whole_ring()
    {
        var (table, rows) = await StoreRemindersAsync(100);
        Assert.Contains(rows, row => Hash(row) > int.MaxValue);
        Assert.Contains(rows, row => Hash(row) <= int.MaxValue);
        var some = Hash(rows[0]);

        AssertRows(rows.Where(row => Hash(row) > int.MaxValue), await table.ReadRowsAsync(int.MaxValue, uint.MaxValue));
        AssertRows(rows.Where(row => Hash(row) <= int.MaxValue), await table.ReadRowsAsync(uint.MaxValue, int.MaxValue));
        AssertRows(rows.Where(row => Hash(row) != 0), await table.ReadRowsAsync(0, uint.MaxValue));
        AssertRows(rows, await table.ReadRowsAsync(0, 0));
        AssertRows(rows, await table.ReadRowsAsync(some, some));
        AssertRows(rows, await table.ReadRowsAsync(uint.MaxValue, uint.MaxValue));
        AssertRows(rows.Where(row => Hash(row) == some), await table.ReadRowsAsync(some - 1, some));
    }

    private async Task<(PostgreSqlReminderTable Table, ReminderEntry[] Rows)> StoreRemindersAsync(int count)
    {
        var table = new PostgreSqlReminderTable(await _schema.StartAsync());
        var rows = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var reminder = Reminder(NewGrainId(), i % 3 == 0 ? "start" : "end", i + 1);
            return reminder with { ETag = await table.UpsertRowAsync(reminder) };
        }));
        return (table, rows);
    }

    private static void AssertRows(IEnumerable<ReminderEntry> expected, IEnumerable<ReminderEntry> actual) =>
        Assert.Equal(expected.OrderBy(Key), actual.OrderBy(Key));

    private static uint Hash(ReminderEntry row) => row.GrainId.GetUniformHashCode();

    private static string Key(ReminderEntry entry) => $"{entry.GrainId}|{entry.ReminderName}";
}
