using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AdWallet.Persistence;

/// <summary>Orleans' facet seam for <see cref="JournaledStateAttribute"/>: makes the state of each activation.</summary>
internal sealed class JournaledStateAttributeMapper : IAttributeToFactoryMapper<JournaledStateAttribute>
{
    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, JournaledStateAttribute attribute)
    {
        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IJournaledState<,>))
            throw new ArgumentException($"[JournaledState] goes on a parameter of type IJournaledState<TState, TEvent>, not {type.Name}.", parameter.Name);
        var stateType = typeof(JournaledState<,>).MakeGenericType(type.GetGenericArguments());

        return context =>
        {
            var services = context.ActivationServices;
            var storage = services.GetKeyedService<IJournalStorage>(attribute.StorageName)
                ?? throw new InvalidOperationException($"No journal storage named '{attribute.StorageName}' is configured for {context.GrainId}.");
            var options = services.GetRequiredService<IOptions<JournaledStateOptions>>().Value;
            var time = services.GetRequiredService<TimeProvider>();
            var state = Activator.CreateInstance(stateType, attribute.StateName, context, storage, time, options.SnapshotInterval)!;
            ((ILifecycleParticipant<IGrainLifecycle>)state).Participate(context.ObservableLifecycle);
            return state;
        };
    }
}
