using AdWallet.Persistence.Sqlite;
using Orleans;

namespace AdWallet.Persistence.Tests.Sqlite;

public sealed class SqliteReminderTableTests : ReminderTableConformance, IAsyncLifetime
{
    private readonly SqliteTestDatabase _folder = new();

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        var table = new SqliteReminderTable(await _folder.StartAsync());
        await table.StartAsync();
        return table;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Rows_survive_reopening_the_database_and_etags_are_not_reused()
    {
        var grain = NewGrainId();
        var first = await _folder.StartAsync();
        var table = new SqliteReminderTable(first);
        var eTag = await table.UpsertRow(Reminder(grain));
        var removed = await table.UpsertRow(Reminder(grain, "removed"));
        Assert.True(await table.RemoveRow(grain, "removed", removed!));
        await first.StopAsync();

        var reopened = new SqliteReminderTable(await _folder.StartAsync());

        Assert.Equal([Show(Reminder(grain, eTag: eTag))], Show(await reopened.ReadRows(0u, 0u)));
        var added = await reopened.UpsertRow(Reminder(grain, "removed"));
        Assert.NotEqual(eTag, added);
        Assert.NotEqual(removed, added);
        Assert.True(await reopened.RemoveRow(grain, "end", eTag!));
    }

    [Fact]
    public async Task Starting_the_table_starts_the_shared_database_once()
    {
        var database = _folder.Create();
        var table = new SqliteReminderTable(database);

        await table.StartAsync();
        await table.StartAsync();

        Assert.True(database.IsRunning);
        Assert.NotNull(await table.UpsertRow(Reminder(NewGrainId())));
        await table.StopAsync();
        Assert.True(database.IsRunning);
    }

    [Fact]
    public async Task A_local_start_time_is_stored_as_the_same_instant_in_utc()
    {
        var table = await CreateTableAsync();
        var grain = NewGrainId();
        var utc = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        var reminder = Reminder(grain);
        reminder.StartAt = utc.ToLocalTime();

        await table.UpsertRow(reminder);

        var read = await table.ReadRow(grain, "end");
        Assert.Equal(utc, read!.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
    }
}
