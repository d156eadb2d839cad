using System.Reflection;
using Granary.Catalog;
using Granary.GrainReferences;
using Granary.Hosting;
using Granary.Membership;
using Granary.Messaging;
using Granary.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Granary.Client;

public static class ClientHostingExtensions
{
    /// <summary>
    /// Adds a cluster client: <see cref="IGrainFactory"/> calls go to the silos of the cluster. The builder adds the
    /// membership table to read and the transport, for example <c>UsePostgreSqlClustering</c> and <c>UseTcpTransport</c>.
    /// </summary>
    public static IServiceCollection AddGranaryClient(this IServiceCollection services, IConfiguration configuration, Action<IClientBuilder> configure)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        GranaryHostingExtensions.AddValidatedOptions<MessagingOptions, MessagingOptionsValidator>(services, configuration, MessagingOptions.SectionName);
        GranaryHostingExtensions.AddValidatedOptions<ClusterMembershipOptions, ClusterMembershipOptionsValidator>(services, configuration, ClusterMembershipOptions.SectionName);
        services.AddOptions<GrainTypeOptions>();

        services.AddSingleton<GrainTypeManifest>();
        services.AddSingleton<ResponseTimeouts>();
        services.AddSingleton<ClusterClient>();
        services.AddSingleton(sp => new GrainFactory(sp.GetRequiredService<GrainTypeManifest>(), sp.GetRequiredService<ClusterClient>));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainFactory>());
        services.AddSingleton(sp => new GrainStateSerializer(new GrainReferenceJsonConverterFactory(sp.GetRequiredService<GrainFactory>)));
        services.AddSingleton<IClusterOverview>(sp => sp.GetRequiredService<ClusterClient>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterClient>());

        configure(new ClientBuilder(services, configuration));

        if (!services.Any(d => d.ServiceType == typeof(IMembershipTable)))
            throw new InvalidOperationException("A cluster client needs the cluster's membership table; add it with UsePostgreSqlClustering.");
        if (!services.Any(d => d.ServiceType == typeof(IRemoteCallSender)))
            throw new InvalidOperationException("A cluster client needs a transport to reach the silos; add it with UseTcpTransport.");
        return services;
    }

    /// <summary>Adds the grain classes of an assembly, so the client knows which grain type each grain interface names.</summary>
    public static IClientBuilder AddGrains(this IClientBuilder builder, Assembly assembly)
    {
        builder.Services.Configure<GrainTypeOptions>(options => options.AddAssembly(assembly));
        return builder;
    }
}
