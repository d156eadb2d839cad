using Granary.Membership;
using Granary.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Granary.Hosting;

public static class PostgreSqlClusteringExtensions
{
    /// <summary>Keeps the cluster's membership in the cluster's PostgreSQL database, which the silo's other PostgreSQL providers share.</summary>
    public static ISiloBuilder UsePostgreSqlClustering(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PostgreSqlSiloBuilderExtensions.AddPostgreSqlDatabase(builder);
        builder.Services.AddSingleton<IMembershipTable>(provider => new PostgreSqlMembershipTable(provider.GetRequiredService<PostgreSqlDatabase>()));
        return builder;
    }

    /// <summary>
    /// Lets a process that is not a silo (a cluster client) read the membership table from the cluster's PostgreSQL
    /// database: registers <see cref="IMembershipTable"/> over a database of its own, opened without migrating the
    /// schema (silos create it), configured like the silos' (<c>ConnectionStrings:Postgres</c>, <c>Postgres:Schema</c>).
    /// Reads fail with an <see cref="InvalidOperationException"/> until a silo has created the schema. A membership
    /// table registered before is kept.
    /// </summary>
    public static IServiceCollection AddPostgreSqlMembershipReader(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        PostgreSqlSiloBuilderExtensions.AddPostgreSqlStorageOptions(services, configuration);
        services.TryAddSingleton(provider => new PostgreSqlClientDatabase(
            provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>(),
            provider.GetService<ILogger<PostgreSqlDatabase>>() ?? NullLogger<PostgreSqlDatabase>.Instance));
        services.TryAddSingleton<IMembershipTable>(provider => new PostgreSqlMembershipTable(provider.GetRequiredService<PostgreSqlClientDatabase>().Database));
        return services;
    }
}
