using Granary.Hosting;
using Granary.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Granary.Networking;

internal static class TransportServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo-to-silo transport: <see cref="IRemoteCallSender"/> (a <see cref="SiloConnectionManager"/>) and, with
    /// <paramref name="listen"/>, a <see cref="SiloListener"/> at <see cref="SiloLifecycleStage.Transport"/> that takes
    /// calls on <c>Silo:Port</c> and hands them to the <see cref="IIncomingCallHandler"/>, which the caller registers. A
    /// cluster client, which only sends, passes false. Needs a <c>GrainStateSerializer</c> and, to listen, the silo's
    /// <see cref="ResponseTimeouts"/>.
    /// </summary>
    internal static IServiceCollection AddSiloTransport(this IServiceCollection services, IConfiguration configuration, bool listen)
    {
        services.AddOptions<TransportOptions>().Bind(configuration.GetSection(TransportOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransportOptions>, TransportOptionsValidator>());
        services.TryAddSingleton<TransportContext>();
        services.TryAddSingleton<SiloConnectionManager>();
        services.TryAddSingleton<IRemoteCallSender>(sp => sp.GetRequiredService<SiloConnectionManager>());
        if (!listen) return services;

        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<SiloOptions>)))
            services.AddOptions<SiloOptions>().Bind(configuration.GetSection(SiloOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>());
        if (services.Any(d => d.ServiceType == typeof(SiloListener))) return services;
        services.AddSingleton<SiloListener>();
        services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<SiloListener>());
        return services;
    }
}
