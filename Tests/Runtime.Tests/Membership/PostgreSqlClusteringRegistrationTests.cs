using Granary.Hosting;
using Granary.Membership;
using Granary.PostgreSql;
using Granary.Reminders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Granary.Tests.Membership;

/// <summary>Registration of the PostgreSQL membership table: none of these needs a server.</summary>
public sealed class PostgreSqlClusteringRegistrationTests
{
    private const string ConnectionString = "Host=db.internal;Port=5433;Database=granary;Username=granary;Password=secret";

    [Fact]
    public void Clustering_shares_the_silos_one_database_and_lifecycle_participant()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = new SiloBuilder(services, Configuration());

        builder.UsePostgreSqlClustering().UsePostgreSqlReminderService().AddPostgreSqlGrainStorage();
        using var provider = services.BuildServiceProvider();

        var database = provider.GetRequiredService<PostgreSqlDatabase>();
        Assert.Same(database, Assert.Single(provider.GetServices<ISiloLifecycleParticipant>()));
        Assert.IsType<PostgreSqlMembershipTable>(provider.GetRequiredService<IMembershipTable>());
        Assert.IsType<PostgreSqlReminderTable>(provider.GetRequiredService<IReminderTable>());
        Assert.Equal("wallets", database.Schema);
    }

    [Fact]
    public void A_membership_reader_has_no_lifecycle_participant_and_binds_the_silos_options()
    {
        using var provider = new ServiceCollection().AddLogging().AddPostgreSqlMembershipReader(Configuration()).BuildServiceProvider();

        Assert.IsType<PostgreSqlMembershipTable>(provider.GetRequiredService<IMembershipTable>());
        Assert.Empty(provider.GetServices<ISiloLifecycleParticipant>());
        Assert.Null(provider.GetService<PostgreSqlDatabase>());
        var options = provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value;
        Assert.Equal(ConnectionString, options.ConnectionString);
        Assert.Equal("wallets", provider.GetRequiredService<PostgreSqlClientDatabase>().Database.Schema);
    }

    [Fact]
    public void A_membership_reader_without_a_connection_string_fails_naming_its_key()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddPostgreSqlMembershipReader(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMembershipTable>());

        Assert.Contains(exception.Failures, failure => failure.StartsWith("ConnectionStrings:Postgres must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void A_silo_that_also_reads_as_a_client_keeps_its_own_membership_table_and_binds_the_options_once()
    {
        var services = new ServiceCollection().AddLogging();
        new SiloBuilder(services, Configuration()).UsePostgreSqlClustering();
        services.AddPostgreSqlMembershipReader(Configuration());
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, service => service.ServiceType == typeof(IMembershipTable));
        Assert.Single(services, service => service.ServiceType == typeof(IValidateOptions<PostgreSqlStorageOptions>));
        Assert.IsType<PostgreSqlMembershipTable>(provider.GetRequiredService<IMembershipTable>());
        Assert.Single(provider.GetServices<ISiloLifecycleParticipant>());
    }

    private static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = ConnectionString,
        ["Postgres:Schema"] = "wallets",
    }).Build();
}
