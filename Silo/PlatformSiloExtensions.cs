using AdWallet.Grains.Channels.CustomerFiles;
using System.Net;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Payments;
using AdWallet.Payments.Http;
using AdWallet.Persistence.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace AdWallet.Silo;

public static class PlatformSiloExtensions
{
    /// <summary>The cluster's name in the membership table: every silo and client of one platform shares it.</summary>
    public const string ClusterId = "adwallet";

    /// <summary>
    /// Runs the platform's silo in this host. Embedded mode, the default: the only
    /// silo (<c>UseLocalhostClustering</c>), whose grain state, ledgers and reminders live in a SQLite file under
    /// <c>Data:Path</c>, beside the payment gateway simulator's (<see cref="EmbeddedPaymentGateway"/>). Cluster mode (<c>Cluster:Mode=postgres</c>): one silo of a cluster whose state, reminders and
    /// membership live in the PostgreSQL database of <c>ConnectionStrings:Postgres</c>, listening on <c>Silo:Port</c>.
    /// </summary>
    public static IHostApplicationBuilder UsePlatformSilo(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var cluster = PlatformClusterOptions.IsClusterMode(configuration);
        var endpoints = SiloEndpoints.From(configuration, cluster);
        if (!cluster) EmbeddedPaymentGateway.AddTo(builder);
        else if (string.IsNullOrWhiteSpace(configuration["Payments:GatewayUrl"]))
            throw new InvalidOperationException("Payments:GatewayUrl must name the payment gateway in cluster mode (for example the simulator: dotnet run --project GatewaySimulator).");
        builder.Services.AddPlatformServices(configuration);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = ClusterId;
            });
            silo.Services.AddPlatformRuntimeOptions(configuration);
            silo.AddDashboard();
            silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
            if (cluster)
            {
                silo.ConfigureEndpoints(endpoints.AdvertisedAddress, endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: false);
                silo.AddPostgreSqlStorage().AddPostgreSqlBulkStorage().UsePostgreSqlClustering().UsePostgreSqlReminderService();
            }
            else
            {
                silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort);
                silo.AddSqliteStorage().AddSqliteBulkStorage().UseSqliteReminderService();
            }
        });
        return builder;
    }

    /// <summary>
    /// The platform's grains for a process that serves HTTP: in embedded mode a silo in this process
    /// (<see cref="UsePlatformSilo"/>); in cluster mode a client of the cluster's silos, which finds their gateways in
    /// the membership table of <c>ConnectionStrings:Postgres</c>.
    /// </summary>
    public static IHostApplicationBuilder UsePlatformGrains(this IHostApplicationBuilder builder)
    {
        if (!PlatformClusterOptions.IsClusterMode(builder.Configuration)) return builder.UsePlatformSilo();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = ClusterId;
            });
            client.Services.AddOptions<ClientMessagingOptions>()
                .Configure(options => options.ResponseTimeout = FailureDetection.ClientResponseTimeout)
                .Bind(builder.Configuration.GetSection("Messaging"));
            // The client learns which gateways are alive only from the table: with Orleans' minute between reads, it
            // sends a frozen silo's share of the calls (and, if it knew only that gateway, every call) into the void
            // for up to a minute after the silo was declared dead. Section Gateway (GatewayOptions) overrides it.
            client.Services.AddOptions<GatewayOptions>()
                .Configure(options => options.GatewayListRefreshPeriod = FailureDetection.GatewayListRefreshPeriod)
                .Bind(builder.Configuration.GetSection("Gateway"));
            client.UsePostgreSqlClustering();
            client.AddDashboard();
            client.Services.AddPlatformDashboardOptions(builder.Configuration);
        });
        return builder;
    }

    /// <summary>What the grains need besides the runtime: the payment gateway (over HTTP) and the domain's options.</summary>
    public static IServiceCollection AddPlatformServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpPaymentGateway(configuration);
        services.AddOptions<PaymentOptions>().Bind(configuration.GetSection(PaymentOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaymentOptions>, PaymentOptionsValidator>());
        services.AddOptions<AutoPayOptions>().Bind(configuration.GetSection(AutoPayOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AutoPayOptions>, AutoPayOptionsValidator>());
        services.AddOptions<CreationGuardOptions>().Bind(configuration.GetSection(CreationGuardOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CreationGuardOptions>, CreationGuardOptionsValidator>());
        services.AddOptions<CustomerFileOptions>().Bind(configuration.GetSection(CustomerFileOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CustomerFileOptions>, CustomerFileOptionsValidator>());
        services.AddOptions<BillingOptions>().Bind(configuration.GetSection(BillingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>());
        return services;
    }

    /// <summary>The dashboard's sampling (<see cref="DashboardOptions"/>) from the <c>Dashboard</c> section, checked at start.</summary>
    private static IServiceCollection AddPlatformDashboardOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptionsValidator.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Orleans' own options, under their own names: <c>Reminders</c> (<see cref="ReminderOptions"/>),
    /// <c>GrainCollection</c> (<see cref="GrainCollectionOptions"/>), <c>GrainDirectory</c> (<see cref="GrainDirectoryOptions"/>), <c>Dashboard</c>
    /// (<see cref="DashboardOptions"/>), <c>Messaging</c> (<see cref="SiloMessagingOptions"/>)
    /// and <c>Membership</c> (<see cref="ClusterMembershipOptions"/>, tuned in cluster mode so that a silo that stops
    /// answering is declared dead within 10 s; see <see cref="FailureDetection"/>).
    /// </summary>
    private static IServiceCollection AddPlatformRuntimeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection("Reminders"));
        services.AddOptions<GrainCollectionOptions>().Bind(configuration.GetSection("GrainCollection"));
        services.AddOptions<GrainDirectoryOptions>().Bind(configuration.GetSection("GrainDirectory"));
        services.AddPlatformDashboardOptions(configuration);
        services.AddOptions<SiloMessagingOptions>()
            .Configure(options => options.ResponseTimeout = FailureDetection.ClientResponseTimeout)
            .Bind(configuration.GetSection("Messaging"));
        // The tuning is for a cluster of silos; the embedded mode's single silo keeps Orleans' defaults.
        var membership = services.AddOptions<ClusterMembershipOptions>();
        if (PlatformClusterOptions.IsClusterMode(configuration)) membership.Configure(FailureDetection.Apply);
        membership.Bind(configuration.GetSection("Membership"));
        return services;
    }
}
