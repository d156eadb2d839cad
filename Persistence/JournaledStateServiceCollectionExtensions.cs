using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AdWallet.Persistence;

public static class JournaledStateServiceCollectionExtensions
{
    /// <summary>Lets grains take <c>[JournaledState]</c> parameters. Providers register their <see cref="IJournalStorage"/> by name.</summary>
    public static IServiceCollection AddJournaledState(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(typeof(IAttributeToFactoryMapper<JournaledStateAttribute>), typeof(JournaledStateAttributeMapper));
        services.AddOptions<JournaledStateOptions>().BindConfiguration(JournaledStateOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JournaledStateOptions>, JournaledStateOptionsValidator>());
        return services;
    }
}
