using Microsoft.Extensions.Options;

namespace AdWallet.Persistence.PostgreSql.Tests;

public sealed class SchemaTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Processes_applying_the_schema_at_once_apply_each_script_once()
    {
        var options = _database.Options();
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgreSqlSchema.ApplyAsync(options))));

        // The advisory lock lets one of them apply everything; the others find it done.
        Assert.Single(applied, scripts => scripts.Count == PostgreSqlSchema.Scripts.Count);
        Assert.Equal(3, applied.Count(scripts => scripts.Count == 0));
        Assert.Equal(["001_OrleansQuery", "002_Clustering", "003_Reminders", "004_GrainState", "005_KeySetsAndBlobs"], PostgreSqlSchema.Scripts.Select(s => s.Name));
        Assert.Equal((long)PostgreSqlSchema.Scripts.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM adwallet_schema_version"));

        // Applying again changes nothing.
        Assert.Empty(await PostgreSqlSchema.ApplyAsync(options));
        Assert.Equal((long)PostgreSqlSchema.Scripts.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM adwallet_schema_version"));
    }

    [Fact]
    public async Task The_query_catalog_holds_every_key_Orleans_requires()
    {
        await PostgreSqlSchema.ApplyAsync(_database.Options());
        var keys = (await _database.RowsAsync("SELECT QueryKey FROM OrleansQuery")).Select(row => (string)row[0]!).Order().ToArray();
        string[] clustering =
        [
            "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
            "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
        ];
        string[] reminders =
        [
            "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
            "ReadReminderRowsKey", "UpsertReminderRowKey",
        ];
        Assert.Equal(clustering.Concat(reminders).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_a_schema_option_the_tables_go_where_the_search_path_says()
    {
        // The scratch schema exists first; the connection string's Search Path names it and no Postgres:Schema is set.
        await PostgreSqlSchema.ApplyAsync(_database.Options());
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { SearchPath = _database.Schema };
        Assert.Empty(await PostgreSqlSchema.ApplyAsync(new PostgreSqlStorageOptions { ConnectionString = builder.ConnectionString }));
    }

    [Fact]
    public void The_validator_names_the_keys_to_fix()
    {
        var validator = new PostgreSqlStorageOptionsValidator();
        var missing = validator.Validate(null, new PostgreSqlStorageOptions());
        Assert.True(missing.Failed);
        Assert.Contains("ConnectionStrings:Postgres", missing.FailureMessage);

        var wrong = validator.Validate(null, new PostgreSqlStorageOptions { ConnectionString = "Host=x", Schema = "1bad", MaxBatchSize = 0 });
        Assert.Contains("Postgres:Schema", wrong.FailureMessage);
        Assert.Contains("Postgres:MaxBatchSize", wrong.FailureMessage);
        Assert.DoesNotContain("ConnectionStrings:Postgres", wrong.FailureMessage);

        Assert.True(validator.Validate(null, new PostgreSqlStorageOptions { ConnectionString = TestDatabase.ConnectionString }).Succeeded);
    }
}
