using Granary.Hosting;
using Granary.PostgreSql;
using Granary.Reminders;
using Granary.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit;

namespace Granary.Tests.Storage;

/// <summary>Registration and options of the PostgreSQL providers: none of these needs a server.</summary>
public sealed class PostgreSqlStorageRegistrationTests
{
    private const string ConnectionString = "Host=db.internal;Port=5433;Database=granary;Username=granary;Password=secret";

    [Fact]
    public void Grain_storage_and_reminders_share_one_database_registered_once_as_a_lifecycle_participant()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = new SiloBuilder(services, Configuration(new() { ["ConnectionStrings:Postgres"] = ConnectionString }));

        builder.AddPostgreSqlGrainStorage().AddPostgreSqlGrainStorage("Archive").UsePostgreSqlReminderService();
        using var provider = services.BuildServiceProvider();

        var database = provider.GetRequiredService<PostgreSqlDatabase>();
        Assert.Same(database, Assert.Single(provider.GetServices<ISiloLifecycleParticipant>()));
        Assert.IsType<PostgreSqlGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default));
        Assert.IsType<PostgreSqlGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("Archive"));
        Assert.IsType<PostgreSqlReminderTable>(provider.GetRequiredService<IReminderTable>());
        Assert.Equal(PostgreSqlStorageOptions.DefaultSchema, database.Schema);
    }

    [Fact]
    public void Options_are_bound_from_the_connection_strings_and_the_postgres_section()
    {
        var configuration = Configuration(new()
        {
            ["ConnectionStrings:Postgres"] = ConnectionString,
            ["Postgres:ConnectionString"] = "Host=ignored",
            ["Postgres:Schema"] = "wallets",
            ["Postgres:MaxBatchSize"] = "64",
        });
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services, configuration).AddPostgreSqlGrainStorage();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value;

        Assert.Equal(ConnectionString, options.ConnectionString);
        Assert.Equal("wallets", options.Schema);
        Assert.Equal(64, options.MaxBatchSize);
    }

    [Fact]
    public void A_missing_connection_string_fails_validation_naming_its_key()
    {
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services, Configuration(new() { ["Postgres:MaxBatchSize"] = "0" })).UsePostgreSqlReminderService();
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value);

        Assert.Equal(2, exception.Failures.Count());
        Assert.Contains(exception.Failures, failure => failure.StartsWith("ConnectionStrings:Postgres must be set", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.StartsWith("Postgres:MaxBatchSize", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_are_valid_once_a_connection_string_is_given()
    {
        var options = new PostgreSqlStorageOptions();

        Assert.False(new PostgreSqlStorageOptionsValidator().Validate(null, options).Succeeded);
        options.ConnectionString = ConnectionString;
        Assert.True(new PostgreSqlStorageOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("granary", options.Schema);
        Assert.Equal(512, options.MaxBatchSize);
    }

    [Theory]
    [InlineData(" ", "granary", 512)]
    [InlineData("Database=granary", "granary", 512)]
    [InlineData("Host=db;Port=not-a-port", "granary", 512)]
    [InlineData("Host=db;NoSuchKeyword=1", "granary", 512)]
    [InlineData(ConnectionString, "", 512)]
    [InlineData(ConnectionString, "1granary", 512)]
    [InlineData(ConnectionString, "granary.wallets", 512)]
    [InlineData(ConnectionString, "gra\"nary", 512)]
    [InlineData(ConnectionString, "a_name_that_is_much_longer_than_the_sixty_three_bytes_postgres_keeps", 512)]
    [InlineData(ConnectionString, "granary", 0)]
    [InlineData(ConnectionString, "granary", 10_001)]
    public void The_validator_rejects(string connectionString, string schema, int maxBatchSize)
    {
        var options = new PostgreSqlStorageOptions { ConnectionString = connectionString, Schema = schema, MaxBatchSize = maxBatchSize };

        var result = new PostgreSqlStorageOptionsValidator().Validate(null, options);

        Assert.False(result.Succeeded);
        Assert.DoesNotContain("secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_fails_when_the_server_cannot_be_reached_and_the_database_stays_unusable()
    {
        var options = new PostgreSqlStorageOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Timeout=5" };
        var database = new PostgreSqlDatabase(Options.Create(options), NullLogger<PostgreSqlDatabase>.Instance);

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => database.OnStartAsync(CancellationToken.None));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new PostgreSqlGrainStorage(StorageNames.Default, database, TimeProvider.System).ReadAsync("state", GrainId.Create("wallet", "w")));
        Assert.Contains("stopped", refused.Message);
        await database.OnStopAsync(CancellationToken.None);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
