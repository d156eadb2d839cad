using Granary.Reminders;
using Granary.Sqlite;
using Xunit;

namespace Granary.Tests.Storage;

public sealed class SqliteReminderTableConformanceTests : ReminderTableConformance, IAsyncLifetime
{
    private readonly SqliteTestDatabase _folder = new();

    protected override async Task<IReminderTable> CreateTableAsync() => new SqliteReminderTable(await _folder.StartAsync());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Rows_survive_reopening_the_database_and_etags_are_not_reused()
    {
        var grain = NewGrainId();
        var first = await _folder.StartAsync();
        var table = new SqliteReminderTable(first);
        var eTag = await table.UpsertRowAsync(Reminder(grain));
        var removed = await table.UpsertRowAsync(Reminder(grain, "removed"));
        Assert.True(await table.RemoveRowAsync(grain, "removed", removed));
        await first.OnStopAsync(CancellationToken.None);

        var reopened = new SqliteReminderTable(await _folder.StartAsync());

        Assert.Equal([Reminder(grain) with { ETag = eTag }], await reopened.ReadAllRowsAsync());
        var added = await reopened.UpsertRowAsync(Reminder(grain, "removed"));
        Assert.NotEqual(eTag, added);
        Assert.NotEqual(removed, added);
        Assert.True(await reopened.RemoveRowAsync(grain, "end", eTag));
    }
}
