using AdWallet.Grains.Health;
using Granary.Hosting;
using Microsoft.Extensions.Hosting;

namespace AdWallet.Silo;

public static class PlatformSiloExtensions
{
    /// <summary>
    /// Runs the platform's silo in this host. Embedded mode, the default: one silo whose grain state, ledgers and
    /// reminders live in a SQLite file under <c>Data:Path</c>.
    /// </summary>
    public static IHostApplicationBuilder UsePlatformSilo(this IHostApplicationBuilder builder) =>
        builder.UseGranary(silo => silo
            .AddGrains(typeof(HealthGrain).Assembly)
            .AddSqliteGrainStorage()
            .UseSqliteReminderService());
}
