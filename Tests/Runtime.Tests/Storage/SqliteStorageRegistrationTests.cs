using Granary.Hosting;
using Granary.Reminders;
using Granary.Sqlite;
using Granary.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Granary.Tests.Storage;

public sealed class SqliteStorageRegistrationTests
{
    [Fact]
    public void Grain_storage_and_reminders_share_one_database_registered_once_as_a_lifecycle_participant()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = new SiloBuilder(services, new ConfigurationBuilder().Build());

        builder.AddSqliteGrainStorage().AddSqliteGrainStorage("Archive").UseSqliteReminderService();
        using var provider = services.BuildServiceProvider();

        var database = provider.GetRequiredService<SqliteDatabase>();
        Assert.Same(database, Assert.Single(provider.GetServices<ISiloLifecycleParticipant>()));
        Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default));
        Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("Archive"));
        Assert.IsType<SqliteReminderTable>(provider.GetRequiredService<IReminderTable>());
        Assert.Equal(Path.GetFullPath(Path.Combine(SqliteStorageOptions.DefaultPath, SqliteStorageOptions.DefaultFileName)), database.DatabasePath);
    }

    [Fact]
    public void Options_are_bound_from_the_data_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Path"] = "/var/lib/granary",
            ["Data:FileName"] = "silo-1.db",
            ["Data:Synchronous"] = "Normal",
            ["Data:MaxBatchSize"] = "64",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services, configuration).AddSqliteGrainStorage();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;

        Assert.Equal("/var/lib/granary", options.Path);
        Assert.Equal("silo-1.db", options.FileName);
        Assert.Equal(SqliteSynchronous.Normal, options.Synchronous);
        Assert.Equal(64, options.MaxBatchSize);
    }

    [Fact]
    public void Invalid_options_fail_validation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Data:Path"] = " ",
            ["Data:MaxBatchSize"] = "0",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services, configuration).UseSqliteReminderService();
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value);

        Assert.Equal(2, exception.Failures.Count());
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new SqliteStorageOptions();

        Assert.True(new SqliteStorageOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("./data", options.Path);
        Assert.Equal("granary.db", options.FileName);
        Assert.Equal(SqliteSynchronous.Full, options.Synchronous);
        Assert.Equal(512, options.MaxBatchSize);
    }

    [Theory]
    [InlineData("", "granary.db", 512)]
    [InlineData("./data", "", 512)]
    [InlineData("./data", "sub/granary.db", 512)]
    [InlineData("./data", "granary.db", 0)]
    [InlineData("./data", "granary.db", 10_001)]
    public void The_validator_rejects(string path, string fileName, int maxBatchSize)
    {
        var options = new SqliteStorageOptions { Path = path, FileName = fileName, MaxBatchSize = maxBatchSize };

        Assert.False(new SqliteStorageOptionsValidator().Validate(null, options).Succeeded);
    }
}
