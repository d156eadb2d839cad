using Orleans;
using AdWallet.Persistence;
using AdWallet.Persistence.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace Orleans.Hosting;

/// <summary>
/// PostgreSQL for a silo and a client, every part configured from <c>ConnectionStrings:Postgres</c> (required) and the
/// <c>Postgres</c> section (<c>Postgres:Schema</c>, <c>Postgres:MaxBatchSize</c>): grain state through
/// <see cref="PostgreSqlGrainStorage"/>, and Orleans' own ADO.NET clustering and reminders (Invariant
/// <see cref="Invariant"/>) on the tables of this assembly's schema scripts.
/// </summary>
public static class PostgreSqlHostingExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql, as Orleans' ADO.NET providers know it.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Adds a grain storage provider named <paramref name="name"/>: one <see cref="PostgreSqlGrainStorage"/>,
    /// registered as the keyed <see cref="IJournalStorage"/> (for <c>[JournaledState]</c>) and the keyed
    /// <see cref="IGrainStorage"/> (for <c>[PersistentState]</c>) of that name. Also enables <c>[JournaledState]</c>.
    /// </summary>
    public static ISiloBuilder AddPostgreSqlStorage(this ISiloBuilder builder, string name = JournalStorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddPostgreSqlDatabase(builder);
        var services = builder.Services;
        services.AddJournaledState();
        services.AddKeyedSingleton(name, (provider, _) => new PostgreSqlGrainStorage(
            name, provider.GetRequiredService<PostgreSqlDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton<IJournalStorage>(name, (provider, key) => provider.GetRequiredKeyedService<PostgreSqlGrainStorage>(key));
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => provider.GetRequiredKeyedService<PostgreSqlGrainStorage>(key));
        // [PersistentState] without a storage name asks for the unkeyed IGrainStorage, as Orleans' own providers
        // register it under the default name.
        if (name == JournalStorageNames.Default)
            services.TryAddSingleton<IGrainStorage>(provider => provider.GetRequiredKeyedService<IGrainStorage>(name));
        return builder;
    }

    /// <summary>Orleans' ADO.NET clustering on the cluster database; the schema is applied before membership starts.</summary>
    public static ISiloBuilder UsePostgreSqlClustering(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddPostgreSqlDatabase(builder);
        return builder.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringSiloOptions> options) =>
            options.Configure<IOptions<PostgreSqlStorageOptions>>((clustering, postgres) =>
            {
                clustering.Invariant = Invariant;
                clustering.ConnectionString = postgres.Value.EffectiveConnectionString();
            }));
    }

    /// <summary>
    /// Keeps large sets (<see cref="IKeySetStorage"/>) and chunked uploads (<see cref="IBlobStorage"/>) in the cluster
    /// database.
    /// </summary>
    public static ISiloBuilder AddPostgreSqlBulkStorage(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddPostgreSqlDatabase(builder);
        builder.Services.TryAddSingleton<IKeySetStorage, PostgreSqlKeySetStorage>();
        builder.Services.TryAddSingleton<IBlobStorage, PostgreSqlBlobStorage>();
        return builder;
    }

    /// <summary>Orleans' ADO.NET reminder service on the cluster database (this also adds Orleans' reminders).</summary>
    public static ISiloBuilder UsePostgreSqlReminderService(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddPostgreSqlDatabase(builder);
        return builder.UseAdoNetReminderService((OptionsBuilder<AdoNetReminderTableOptions> options) =>
            options.Configure<IOptions<PostgreSqlStorageOptions>>((reminders, postgres) =>
            {
                reminders.Invariant = Invariant;
                reminders.ConnectionString = postgres.Value.EffectiveConnectionString();
            }));
    }

    /// <summary>
    /// Lets a client find the gateways through Orleans' ADO.NET clustering (the GatewaysQueryKey query). A client
    /// never changes the schema: silos apply it when they start, and until one has, the client waits, trying again
    /// (<see cref="PostgreSqlSchemaWaitFilter"/>), as Orleans waits while no gateway is listed. A deployment that
    /// starts clients alone can call <see cref="PostgreSqlSchema.ApplyAsync(PostgreSqlStorageOptions, CancellationToken)"/>.
    /// </summary>
    public static IClientBuilder UsePostgreSqlClustering(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddPostgreSqlStorageOptions(builder.Services, builder.Configuration);
        AddSchemaWaitFilter(builder.Services);
        return builder.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringClientOptions> options) =>
            options.Configure<IOptions<PostgreSqlStorageOptions>>((clustering, postgres) =>
            {
                clustering.Invariant = Invariant;
                clustering.ConnectionString = postgres.Value.EffectiveConnectionString();
            }));
    }

    /// <summary>
    /// Registers <see cref="PostgreSqlSchemaWaitFilter"/> in front of the retry filter already registered (Orleans'
    /// default one, which retries rejected and failed connections), which it asks about every other failure.
    /// </summary>
    private static void AddSchemaWaitFilter(IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(IClientConnectionRetryFilter) && service.ImplementationType == typeof(PostgreSqlSchemaWaitFilter))) return;
        services.TryAddSingleton(TimeProvider.System);
        var inner = services.LastOrDefault(service => service.ServiceType == typeof(IClientConnectionRetryFilter) && !service.IsKeyedService);
        if (inner is not null) services.Remove(inner);
        services.AddSingleton<IClientConnectionRetryFilter>(provider => new PostgreSqlSchemaWaitFilter(
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PostgreSqlSchemaWaitFilter>>(),
            provider.GetRequiredService<TimeProvider>(),
            inner switch
            {
                null => null,
                { ImplementationInstance: IClientConnectionRetryFilter instance } => instance,
                { ImplementationFactory: { } factory } => (IClientConnectionRetryFilter)factory(provider),
                { ImplementationType: { } type } => (IClientConnectionRetryFilter)ActivatorUtilities.CreateInstance(provider, type),
                _ => null,
            }));
    }

    // Every PostgreSQL part of a silo shares one database, and so one writer and one schema application.
    private static void AddPostgreSqlDatabase(ISiloBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(service => service.ServiceType == typeof(PostgreSqlDatabase) && !service.IsKeyedService)) return;
        AddPostgreSqlStorageOptions(services, builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgreSqlDatabase>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => new PostgreSqlSiloLifecycle(provider.GetRequiredService<PostgreSqlDatabase>()));
    }

    /// <summary>Binds and validates <see cref="PostgreSqlStorageOptions"/> once, however many parts ask for them.</summary>
    private static void AddPostgreSqlStorageOptions(IServiceCollection services, IConfiguration configuration)
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
