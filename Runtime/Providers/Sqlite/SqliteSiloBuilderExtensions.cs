using Granary.Reminders;
using Granary.Sqlite;
using Granary.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Granary.Hosting;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>Adds a grain storage provider named <paramref name="name"/> that keeps state in the silo's SQLite database.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name = StorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddSqliteDatabase(builder);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (provider, _) => new SqliteGrainStorage(
            name, provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>Keeps reminders in the silo's SQLite database.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSqliteDatabase(builder);
        builder.Services.AddSingleton<IReminderTable>(provider => new SqliteReminderTable(provider.GetRequiredService<SqliteDatabase>()));
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
        services.AddSingleton<ISiloLifecycleParticipant>(provider => provider.GetRequiredService<SqliteDatabase>());
    }
}
