using System.Diagnostics;
using Granary.Hosting;
using Granary.Membership;
using Granary.PostgreSql;
using Granary.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Granary.Tests.Membership;

[PostgreSqlTests]
public sealed class PostgreSqlMembershipTableTests : MembershipTableTests, IAsyncLifetime
{
    private readonly PostgreSqlTestDatabase _schema = new();

    protected override async Task<IMembershipTable> CreateTableAsync() => new PostgreSqlMembershipTable(await _schema.StartAsync());

    protected override async Task<IMembershipTable[]> CreateSharedTablesAsync(int count)
    {
        var tables = new IMembershipTable[count];
        for (var i = 0; i < count; i++) tables[i] = new PostgreSqlMembershipTable(await _schema.StartAsync());
        return tables;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task Two_silos_starting_at_once_apply_the_membership_migration_once_in_the_configured_schema()
    {
        var databases = new[] { _schema.Create(), _schema.Create() };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = databases.Select(database => Task.Run(async () =>
        {
            await start.Task;
            await database.OnStartAsync(CancellationToken.None);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(starts);

        Assert.Equal(1L, await _schema.ScalarAsync("SELECT count(*) FROM schema_version WHERE version = 3 AND name = '003_Membership'"));
        Assert.Equal(_schema.Schema, await _schema.ScalarAsync("SELECT table_schema FROM information_schema.tables WHERE table_name = 'silos' AND table_schema LIKE 'granary_test_%' AND table_schema = current_schema()"));
        Assert.Equal(0L, await _schema.ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'silos' AND table_schema = 'public'"));
        var entry = Entry(Address());
        Assert.True(await new PostgreSqlMembershipTable(databases[0]).InsertRowAsync(entry));
        Assert.Equal([entry], await new PostgreSqlMembershipTable(databases[1]).ReadAllAsync());
    }

    [Fact]
    public async Task Rows_are_stored_with_readable_statuses_and_exact_ticks()
    {
        var table = new PostgreSqlMembershipTable(await _schema.StartAsync());
        var entry = Entry(Address(), SiloStatus.ShuttingDown);

        Assert.True(await table.InsertRowAsync(entry));

        Assert.Equal("ShuttingDown", await _schema.ScalarAsync("SELECT status FROM silos"));
        Assert.Equal(entry.IAmAliveAt.UtcTicks, await _schema.ScalarAsync("SELECT i_am_alive_at FROM silos"));
        Assert.Equal(entry.StartedAt.UtcTicks, await _schema.ScalarAsync("SELECT started_at FROM silos"));
    }

    [Fact]
    public async Task Membership_writes_do_not_wait_for_the_writer()
    {
        var database = await _schema.StartAsync();
        var table = new PostgreSqlMembershipTable(database);
        var entry = Entry(Address());
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = database.WriteAsync(async _ =>
        {
            held.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return true;
        }, CancellationToken.None);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            // The writer is inside a transaction that will not commit until released: a heartbeat still commits.
            Assert.True(await table.InsertRowAsync(entry).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(await table.UpdateRowAsync(entry.Address, SiloStatus.Active, Now.AddSeconds(1), 1).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(1L, await _schema.ScalarAsync("SELECT count(*) FROM silos WHERE activation_count = 1"));
        }
        finally
        {
            release.SetResult();
        }
        Assert.True(await holder);
    }

    [Fact]
    public async Task A_client_reads_the_rows_silos_wrote_without_migrating_and_cannot_write_through_the_writer()
    {
        var silo = new PostgreSqlMembershipTable(await _schema.StartAsync());
        var entry = Entry(Address());
        Assert.True(await silo.InsertRowAsync(entry));
        var versions = await _schema.ScalarAsync("SELECT count(*) FROM schema_version");
        await using var provider = ClientServices();

        var client = provider.GetRequiredService<IMembershipTable>();

        Assert.IsType<PostgreSqlMembershipTable>(client);
        Assert.Empty(provider.GetServices<ISiloLifecycleParticipant>());
        Assert.Equal([entry], await client.ReadAllAsync());
        Assert.Equal(versions, await _schema.ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.True(await silo.DeclareDeadAsync(entry.Address, Now.AddTicks(1)));
        Assert.Equal(SiloStatus.Dead, Assert.Single(await client.ReadAllAsync()).Status);
        var database = provider.GetRequiredService<PostgreSqlClientDatabase>().Database;
        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync(_ => Task.FromResult(true), CancellationToken.None));
        Assert.Contains("without migrating", write.Message);
    }

    [Fact]
    public async Task A_client_reading_before_any_silo_created_the_schema_fails_at_once_saying_so_and_creates_nothing()
    {
        await using var provider = ClientServices();
        var client = provider.GetRequiredService<IMembershipTable>();

        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => client.ReadAllAsync());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The read took {watch.Elapsed}.");
        Assert.Contains(_schema.Schema, failure.Message);
        Assert.Contains("no silo has created the schema", failure.Message);
        Assert.Equal(PostgresErrorCodes.UndefinedTable, Assert.IsType<PostgresException>(failure.InnerException).SqlState);
        Assert.Equal(false, await _schema.ScalarAsync($"SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{_schema.Schema}')"));

        // Once a silo has started, the same client reads.
        var silo = new PostgreSqlMembershipTable(await _schema.StartAsync());
        Assert.True(await silo.InsertRowAsync(Entry(Address())));
        Assert.Single(await client.ReadAllAsync());
    }

    [Fact]
    public async Task A_database_opened_without_migrating_opens_once_and_refuses_reads_after_it_is_closed()
    {
        await _schema.StartAsync();
        var database = _schema.Create();
        var table = new PostgreSqlMembershipTable(database);
        await Assert.ThrowsAsync<InvalidOperationException>(() => table.ReadAllAsync());

        database.OpenWithoutMigrating();
        Assert.Throws<InvalidOperationException>(database.OpenWithoutMigrating);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.OnStartAsync(CancellationToken.None));
        Assert.Empty(await table.ReadAllAsync());
        await database.OnStopAsync(CancellationToken.None);

        var late = await Assert.ThrowsAsync<InvalidOperationException>(() => table.ReadAllAsync());
        Assert.Contains("stopped", late.Message);
    }

    private ServiceProvider ClientServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PostgreSqlStorageOptions.ConnectionStringKey] = _schema.ConnectionString,
            ["Postgres:Schema"] = _schema.Schema,
        }).Build();
        return new ServiceCollection().AddLogging().AddPostgreSqlMembershipReader(configuration).BuildServiceProvider();
    }
}
