using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Health;
using AdWallet.Grains.Payments;
using Granary.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AdWallet.Silo;

public static class PlatformSiloExtensions
{
    /// <summary>
    /// Runs the platform's silo in this host. Embedded mode, the default: one silo whose grain state, ledgers and
    /// reminders live in a SQLite file under <c>Data:Path</c>, with the simulated payment gateway.
    /// </summary>
    public static IHostApplicationBuilder UsePlatformSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPlatformServices(builder.Configuration);
        return builder.UseGranary(silo => silo
            .AddPlatformGrains()
            .AddSqliteGrainStorage()
            .UseSqliteReminderService());
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
