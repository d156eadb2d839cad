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
}
