using AdWallet.Persistence.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Persistence.Tests.Sqlite;

public sealed class SqliteStorageRegistrationTests
{
    private static IHost BuildHost(Dictionary<string, string?>? settings = null, Action<ISiloBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            (configure ?? (s => s.AddSqliteStorage().UseSqliteReminderService()))(silo);
        });
        return builder.Build();
    }

    [Fact]
    public void Storage_and_reminders_share_one_database_registered_once_as_a_silo_lifecycle_participant()
    {
        using var host = BuildHost(configure: silo => silo.AddSqliteStorage().AddSqliteStorage("Archive").UseSqliteReminderService());
        var services = host.Services;

        var database = services.GetRequiredService<SqliteDatabase>();
        Assert.Single(services.GetServices<ILifecycleParticipant<ISiloLifecycle>>(), participant => participant is SqliteDatabase);
        Assert.Contains(database, services.GetServices<ILifecycleParticipant<ISiloLifecycle>>());

        // Orleans resolves [PersistentState("x")] with no storage name as the unkeyed IGrainStorage.
        Assert.Equal("Default", ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var storage = Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
        Assert.Same(storage, services.GetRequiredService<IGrainStorage>());
        Assert.Same(storage, services.GetRequiredKeyedService<IJournalStorage>(JournalStorageNames.Default));
        Assert.Equal("Default", storage.Name);
        var archive = Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>("Archive"));
        Assert.Same(archive, services.GetRequiredKeyedService<IJournalStorage>("Archive"));
        Assert.Equal("Archive", archive.Name);
        Assert.IsType<SqliteReminderTable>(services.GetRequiredService<IReminderTable>());
        Assert.Equal(Path.GetFullPath(Path.Combine(SqliteStorageOptions.DefaultPath, SqliteStorageOptions.DefaultFileName)), database.DatabasePath);
        Assert.NotNull(services.GetRequiredService<IOptions<JournaledStateOptions>>().Value);
    }

    [Fact]
    public void A_provider_with_another_name_is_not_the_default()
    {
        using var host = BuildHost(configure: silo => silo.AddSqliteStorage("Archive"));

        Assert.IsType<SqliteGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>("Archive"));
        Assert.Null(host.Services.GetService<IGrainStorage>());
        Assert.Null(host.Services.GetKeyedService<IJournalStorage>(JournalStorageNames.Default));
    }

    [Fact]
    public void Options_are_bound_from_the_data_section()
    {
        using var host = BuildHost(new()
        {
            ["Data:Path"] = "/var/lib/adwallet",
            ["Data:FileName"] = "silo-1.db",
            ["Data:Synchronous"] = "Normal",
            ["Data:MaxBatchSize"] = "64",
        });

        var options = host.Services.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;

        Assert.Equal("/var/lib/adwallet", options.Path);
        Assert.Equal("silo-1.db", options.FileName);
        Assert.Equal(SqliteSynchronous.Normal, options.Synchronous);
        Assert.Equal(64, options.MaxBatchSize);
        Assert.Equal("/var/lib/adwallet/silo-1.db", host.Services.GetRequiredService<SqliteDatabase>().DatabasePath);
    }

    [Fact]
    public async Task Invalid_options_stop_the_silo_at_start_with_messages_naming_the_keys()
    {
        using var host = BuildHost(new() { ["Data:Path"] = " ", ["Data:MaxBatchSize"] = "0" }, silo => silo.UseSqliteReminderService());

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(2, exception.Failures.Count());
        Assert.Contains(exception.Failures, failure => failure.StartsWith("Data:Path ", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.StartsWith("Data:MaxBatchSize must be", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new SqliteStorageOptions();

        Assert.True(new SqliteStorageOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("./data", options.Path);
        Assert.Equal("adwallet.db", options.FileName);
        Assert.Equal(SqliteSynchronous.Full, options.Synchronous);
        Assert.Equal(512, options.MaxBatchSize);
    }

    [Theory]
    [InlineData("", "adwallet.db", 512, "Data:Path")]
    [InlineData("./data", "", 512, "Data:FileName")]
    [InlineData("./data", "sub/adwallet.db", 512, "Data:FileName")]
    [InlineData("./data", "adwallet.db", 0, "Data:MaxBatchSize")]
    [InlineData("./data", "adwallet.db", 10_001, "Data:MaxBatchSize")]
    public void The_validator_rejects_and_names_the_key(string path, string fileName, int maxBatchSize, string key)
    {
        var options = new SqliteStorageOptions { Path = path, FileName = fileName, MaxBatchSize = maxBatchSize };

        var result = new SqliteStorageOptionsValidator().Validate(null, options);

        Assert.False(result.Succeeded);
        Assert.StartsWith(key + " ", Assert.Single(result.Failures!));
    }

    [Fact]
    public void The_validator_rejects_an_undefined_synchronous_setting()
    {
        var result = new SqliteStorageOptionsValidator().Validate(null, new SqliteStorageOptions { Synchronous = (SqliteSynchronous)7 });

        Assert.StartsWith("Data:Synchronous ", Assert.Single(result.Failures!));
    }
}
