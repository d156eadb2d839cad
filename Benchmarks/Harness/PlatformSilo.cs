using AdWallet.Silo;
using Granary.Hosting;

namespace Granary.Benchmarks.Harness;

/// <summary>The platform's silo as the embedded mode runs it (see UsePlatformSilo), on the point's data folder.</summary>
internal static class PlatformSilo
{
    public static void Configure(ISiloBuilder silo, string dataFolder)
    {
        silo.Configuration["Data:Path"] = dataFolder;
        silo.Configuration["Data:Synchronous"] = "Full";
        silo.Services.AddPlatformServices(silo.Configuration);
        silo.AddPlatformGrains().AddSqliteGrainStorage().UseSqliteReminderService();
    }

    /// <summary>The platform's silo as the cluster mode stores it: PostgreSQL grain storage and reminders, in <paramref name="schema"/>.</summary>
    public static void ConfigurePostgres(ISiloBuilder silo, string connectionString, string schema)
    {
        silo.Configuration[Granary.PostgreSql.PostgreSqlStorageOptions.ConnectionStringKey] = connectionString;
        silo.Configuration[$"{Granary.PostgreSql.PostgreSqlStorageOptions.SectionName}:Schema"] = schema;
        silo.Services.AddPlatformServices(silo.Configuration);
        silo.AddPlatformGrains().AddPostgreSqlGrainStorage().UsePostgreSqlReminderService();
    }
}
