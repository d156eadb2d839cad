using System.Reflection;
using Granary.Catalog;
using Granary.GrainReferences;
using Granary.Membership;
using Granary.Messaging;
using Granary.Placement;
using Granary.Reminders;
using Granary.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Granary.Hosting;

public static class GranaryHostingExtensions
{
    /// <summary>Runs a silo inside this host.</summary>
    public static IHostApplicationBuilder UseGranary(this IHostApplicationBuilder builder, Action<ISiloBuilder> configure)
    {
        builder.Services.AddGranary(builder.Configuration, configure);
        return builder;
    }

    /// <summary>Adds a silo and its runtime services. Options are read from configuration and validated at start.</summary>
    public static IServiceCollection AddGranary(this IServiceCollection services, IConfiguration configuration, Action<ISiloBuilder> configure)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        AddValidatedOptions<MessagingOptions, MessagingOptionsValidator>(services, configuration, MessagingOptions.SectionName);
        AddValidatedOptions<GrainCollectionOptions, GrainCollectionOptionsValidator>(services, configuration, GrainCollectionOptions.SectionName);
        AddValidatedOptions<ReminderOptions, ReminderOptionsValidator>(services, configuration, ReminderOptions.SectionName);
        AddValidatedOptions<JournaledStateOptions, JournaledStateOptionsValidator>(services, configuration, JournaledStateOptions.SectionName);
        services.AddOptions<GrainTypeOptions>();

        services.AddSingleton<GrainTypeManifest>();
        services.AddSingleton<GrainCatalog>();
        services.AddSingleton<ActivationCollector>();
        services.AddSingleton<GrainActivator>();
        services.AddSingleton<ResponseTimeouts>();
        services.AddSingleton<SiloRuntime>();
        services.AddSingleton(sp => new GrainFactory(sp.GetRequiredService<GrainTypeManifest>(), sp.GetRequiredService<SiloRuntime>));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainFactory>());
        services.AddSingleton(sp => new GrainStateSerializer(new GrainReferenceJsonConverterFactory(sp.GetRequiredService<GrainFactory>)));
        services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<GrainCatalog>());
        services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<ActivationCollector>());
        services.AddSingleton<Silo>();
        services.AddSingleton<ILocalSiloDetails>(sp => sp.GetRequiredService<Silo>());
        services.AddHostedService(sp => sp.GetRequiredService<Silo>());

        configure(new SiloBuilder(services, configuration));

        if (services.Any(d => d.ServiceType == typeof(IMembershipTable)))
            AddClusterServices(services, configuration);
        else
        {
            services.TryAddSingleton<IGrainPlacement, LocalPlacement>();
            services.TryAddSingleton<IClusterOverview, LocalSiloOverview>();
        }

        if (services.Any(d => d.ServiceType == typeof(IReminderTable)))
        {
            services.AddSingleton<LocalReminderService>();
            services.AddSingleton<IReminderRegistry>(sp => sp.GetRequiredService<LocalReminderService>());
            services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<LocalReminderService>());
            services.AddSingleton<IClusterViewListener>(sp => sp.GetRequiredService<LocalReminderService>());
        }
        else
        {
            services.AddSingleton<IReminderRegistry, NoReminderService>();
        }
        return services;
    }

    /// <summary>Adds every grain class of an assembly.</summary>
    public static ISiloBuilder AddGrains(this ISiloBuilder builder, Assembly assembly)
    {
        builder.Services.Configure<GrainTypeOptions>(options => options.AddAssembly(assembly));
        return builder;
    }

    /// <summary>Adds in-memory grain storage, for tests. Pass one instance to several silos to share it across restarts.</summary>
    public static ISiloBuilder AddMemoryGrainStorage(this ISiloBuilder builder, string name = StorageNames.Default, MemoryGrainStorage? storage = null)
    {
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, storage ?? new MemoryGrainStorage());
        return builder;
    }

    /// <summary>Keeps reminders in memory, for tests. Pass one table to several silos to share it across restarts.</summary>
    public static ISiloBuilder UseInMemoryReminderService(this ISiloBuilder builder, MemoryReminderTable? table = null)
    {
        builder.Services.AddSingleton<IReminderTable>(table ?? new MemoryReminderTable());
        return builder;
    }

    /// <summary>
    /// A silo of a cluster: it keeps its row in the membership table and places grains on the ring of active silos.
    /// The membership table (for example UsePostgreSqlClustering) and the transport are registered by the silo builder.
    /// </summary>
    private static void AddClusterServices(IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(d => d.ServiceType == typeof(ISiloEndpoint)) || !services.Any(d => d.ServiceType == typeof(IRemoteCallSender)))
            throw new InvalidOperationException("A silo with a membership table needs a transport to reach the other silos; add one with UseTcpTransport.");
        AddValidatedOptions<ClusterMembershipOptions, ClusterMembershipOptionsValidator>(services, configuration, ClusterMembershipOptions.SectionName);
        services.AddSingleton<ClusterMembershipService>();
        services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<ClusterMembershipService>());
        services.AddSingleton<ISiloLifecycleParticipant, SiloStatusAnnouncer>();
        services.AddSingleton<IGrainPlacement, RingPlacement>();
        services.AddSingleton<IClusterViewListener, ActivationRebalancer>();
        services.AddSingleton<IIncomingCallHandler, IncomingCallRouter>();
        services.AddSingleton<IClusterOverview, ClusterSiloOverview>();
    }

    internal static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
