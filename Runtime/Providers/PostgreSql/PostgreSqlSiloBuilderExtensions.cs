using Granary.PostgreSql;
using Granary.Reminders;
using Granary.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Granary.Hosting;

public static class PostgreSqlSiloBuilderExtensions
{
    /// <summary>Adds a grain storage provider named <paramref name="name"/> that keeps state in the cluster's PostgreSQL database.</summary>
    public static ISiloBuilder AddPostgreSqlGrainStorage(this ISiloBuilder builder, string name = StorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddPostgreSqlDatabase(builder);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (provider, _) => new PostgreSqlGrainStorage(
            name, provider.GetRequiredService<PostgreSqlDatabase>(), provider.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>Keeps reminders in the cluster's PostgreSQL database.</summary>
    public static ISiloBuilder UsePostgreSqlReminderService(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddPostgreSqlDatabase(builder);
        builder.Services.AddSingleton<IReminderTable>(provider => new PostgreSqlReminderTable(provider.GetRequiredService<PostgreSqlDatabase>()));
        return builder;
    }

    // Every PostgreSQL provider of a silo shares one data source and so one writer.
    internal static void AddPostgreSqlDatabase(ISiloBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(service => service.ServiceType == typeof(PostgreSqlDatabase) && !service.IsKeyedService)) return;

        AddPostgreSqlStorageOptions(services, builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgreSqlDatabase>();
        services.AddSingleton<ISiloLifecycleParticipant>(provider => provider.GetRequiredService<PostgreSqlDatabase>());
    }

    /// <summary>Binds and validates <see cref="PostgreSqlStorageOptions"/>; several calls bind them once.</summary>
    internal static void AddPostgreSqlStorageOptions(IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(IValidateOptions<PostgreSqlStorageOptions>)
            && service.ImplementationType == typeof(PostgreSqlStorageOptionsValidator))) return;
        services.AddOptions<PostgreSqlStorageOptions>()
            .Bind(configuration.GetSection(PostgreSqlStorageOptions.SectionName))
            // The connection string has one source, ConnectionStrings:Postgres, whatever the section holds.
            .Configure(options => options.ConnectionString = configuration.GetConnectionString(PostgreSqlStorageOptions.ConnectionStringName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStorageOptions>, PostgreSqlStorageOptionsValidator>());
    }
}
