using AdWallet.Persistence;
using AdWallet.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace Orleans.Hosting;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>
    /// Keeps grain state in the silo's SQLite database under the provider name <paramref name="name"/>: registers
    /// <see cref="SqliteGrainStorage"/> as the keyed <see cref="IJournalStorage"/> (for
    /// <c>[JournaledState]</c>) and the keyed <see cref="IGrainStorage"/> (for <c>[PersistentState]</c>; the
    /// <c>Default</c> provider is also registered unkeyed, which is where Orleans looks for states that name no storage), and enables journaled state.
    /// </summary>
    public static ISiloBuilder AddSqliteStorage(this ISiloBuilder builder, string name = JournalStorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddSqliteDatabase(builder);
        var services = builder.Services;
        services.AddJournaledState();
        services.AddKeyedSingleton(name, (provider, _) => new SqliteGrainStorage(
            name, provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton<IJournalStorage>(name, (provider, key) => provider.GetRequiredKeyedService<SqliteGrainStorage>(key));
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => provider.GetRequiredKeyedService<SqliteGrainStorage>(key));
        // Orleans resolves a [PersistentState] that names no storage as the unkeyed IGrainStorage, not the keyed
        // "Default" one, so the default provider is registered unkeyed as well (as Orleans' own providers do).
        if (name == ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
            services.TryAddSingleton<IGrainStorage>(provider => provider.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
        return builder;
    }

    /// <summary>
    /// Keeps large sets (<see cref="IKeySetStorage"/>) and chunked uploads (<see cref="IBlobStorage"/>) in the silo's
    /// SQLite database.
    /// </summary>
    public static ISiloBuilder AddSqliteBulkStorage(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSqliteDatabase(builder);
        builder.Services.TryAddSingleton<IKeySetStorage, SqliteKeySetStorage>();
        builder.Services.TryAddSingleton<IBlobStorage, SqliteBlobStorage>();
        return builder;
    }

    /// <summary>Keeps Orleans reminders in the silo's SQLite database (and enables the reminder service).</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddReminders();
        AddSqliteDatabase(builder);
        builder.Services.AddSingleton<SqliteReminderTable>();
        builder.Services.AddSingleton<IReminderTable>(provider => provider.GetRequiredService<SqliteReminderTable>());
        return builder;
    }

    // Every SQLite provider of a silo shares one database file and so one writer.
    private static void AddSqliteDatabase(ISiloBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(service => service.ServiceType == typeof(SqliteDatabase) && !service.IsKeyedService)) return;

        services.AddOptions<SqliteStorageOptions>()
            .Bind(builder.Configuration.GetSection(SqliteStorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStorageOptions>, SqliteStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<SqliteDatabase>());
    }
}
