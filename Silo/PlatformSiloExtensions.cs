using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Health;
using AdWallet.Grains.Payments;
using Granary.Client;
using Granary.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AdWallet.Silo;

public static class PlatformSiloExtensions
{
    /// <summary>
    /// Runs the platform's silo in this host, with the simulated payment gateway. Embedded mode, the default: the only
    /// silo, whose grain state, ledgers and reminders live in a SQLite file under <c>Data:Path</c>. Cluster mode
    /// (<c>Cluster:Mode=postgres</c>): one silo of a cluster whose state, reminders and membership live in the
    /// PostgreSQL database of <c>ConnectionStrings:Postgres</c>, listening for the other silos on <c>Silo:Port</c>.
    /// </summary>
    public static IHostApplicationBuilder UsePlatformSilo(this IHostApplicationBuilder builder)
    {
        var cluster = PlatformClusterOptions.IsClusterMode(builder.Configuration);
        builder.Services.AddPlatformServices(builder.Configuration);
        return builder.UseGranary(silo =>
        {
            silo.AddPlatformGrains();
            if (cluster)
                silo.AddPostgreSqlGrainStorage().UsePostgreSqlReminderService().UsePostgreSqlClustering().UseTcpTransport();
            else
                silo.AddSqliteGrainStorage().UseSqliteReminderService();
        });
    }

    /// <summary>
    /// The platform's grains for a process that serves HTTP: in embedded mode a silo in this process
    /// (<see cref="UsePlatformSilo"/>); in cluster mode a client of the cluster's silos, which finds them in the
    /// membership table of <c>ConnectionStrings:Postgres</c>.
    /// </summary>
    public static IHostApplicationBuilder UsePlatformGrains(this IHostApplicationBuilder builder)
    {
        if (!PlatformClusterOptions.IsClusterMode(builder.Configuration)) return builder.UsePlatformSilo();
        builder.Services.AddGranaryClient(builder.Configuration, client =>
        {
            client.AddGrains(typeof(HealthGrain).Assembly);
            client.Services.AddPostgreSqlMembershipReader(client.Configuration);
            client.UseTcpTransport();
        });
        return builder;
    }

    /// <summary>The grains of the platform.</summary>
    public static ISiloBuilder AddPlatformGrains(this ISiloBuilder silo) => silo.AddGrains(typeof(HealthGrain).Assembly);

    /// <summary>What the grains need besides the runtime: the payment gateway and its options. A gateway registered before stays.</summary>
    public static IServiceCollection AddPlatformServices(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPaymentGateway, SimulatedPaymentGateway>();
        services.AddOptions<PaymentOptions>().Bind(configuration.GetSection(PaymentOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<PaymentOptions>, PaymentOptionsValidator>());
        services.AddOptions<AutoPayOptions>().Bind(configuration.GetSection(AutoPayOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<AutoPayOptions>, AutoPayOptionsValidator>());
        services.AddOptions<CreationGuardOptions>().Bind(configuration.GetSection(CreationGuardOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<CreationGuardOptions>, CreationGuardOptionsValidator>());
        services.AddOptions<BillingOptions>().Bind(configuration.GetSection(BillingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<BillingOptions>, BillingOptionsValidator>());
        return services;
    }
}
