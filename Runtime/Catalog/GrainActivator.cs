using System.Collections.Concurrent;
using System.Reflection;
using Granary.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Granary.Catalog;

/// <summary>
/// Creates grain objects: constructor parameters come from the silo's services, and parameters marked
/// <see cref="PersistentStateAttribute"/> get their grain's state.
/// </summary>
internal sealed class GrainActivator(
    IServiceProvider services,
    GrainStateSerializer serializer,
    TimeProvider time,
    IOptions<JournaledStateOptions> journalOptions)
{
    private readonly ConcurrentDictionary<Type, Func<ActivationData, object?[]>> _argumentFactories = new();
    private readonly ConcurrentDictionary<Type, ConstructorInfo> _constructors = new();

    public Grain Create(ActivationData activation)
    {
        var type = activation.GrainClass.Type;
        var constructor = _constructors.GetOrAdd(type, SelectConstructor);
        var arguments = _argumentFactories.GetOrAdd(type, _ => BuildArgumentFactory(constructor))(activation);
        try
        {
            return (Grain)constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        }
        catch (MemberAccessException exception)
        {
            throw new InvalidOperationException($"Cannot construct grain class {type}.", exception);
        }
    }

    private static ConstructorInfo SelectConstructor(Type type)
    {
        var constructors = type.GetConstructors();
        if (constructors.Length == 0)
            throw new InvalidOperationException($"Grain class {type} has no public constructor.");
        return constructors.OrderByDescending(c => c.GetParameters().Length).First();
    }

    private Func<ActivationData, object?[]> BuildArgumentFactory(ConstructorInfo constructor)
    {
        var factories = constructor.GetParameters().Select(BuildParameterFactory).ToArray();
        return activation =>
        {
            var arguments = new object?[factories.Length];
            for (var i = 0; i < factories.Length; i++) arguments[i] = factories[i](activation);
            return arguments;
        };
    }

    private Func<ActivationData, object?> BuildParameterFactory(ParameterInfo parameter)
    {
        var grainType = parameter.Member.DeclaringType!;
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
        {
            var stateType = PersistentStateType(parameter.ParameterType, grainType, parameter.Name);
            return activation => CreateState(activation, stateType, attribute);
        }

        return _ => services.GetService(parameter.ParameterType)
            ?? throw new InvalidOperationException(
                $"Grain class {grainType} needs a {parameter.ParameterType} for parameter '{parameter.Name}', and no such service is registered.");
    }

    private static Type PersistentStateType(Type parameterType, Type grainType, string? parameterName)
    {
        if (parameterType.IsGenericType)
        {
            var definition = parameterType.GetGenericTypeDefinition();
            var arguments = parameterType.GetGenericArguments();
            if (definition == typeof(IPersistentState<>))
                return typeof(PersistentState<>).MakeGenericType(arguments);
            if (definition == typeof(IJournaledState<,>))
                return typeof(JournaledState<,>).MakeGenericType(arguments);
        }
        throw new InvalidOperationException(
            $"Parameter '{parameterName}' of {grainType} is marked [PersistentState] but is a {parameterType.Name}; use IPersistentState<T> or IJournaledState<TState, TEntry>.");
    }

    private object CreateState(ActivationData activation, Type stateType, PersistentStateAttribute attribute)
    {
        var storage = services.GetKeyedService<IGrainStorage>(attribute.StorageName)
            ?? throw new InvalidOperationException(
                $"No grain storage named '{attribute.StorageName}' is configured for {activation.GrainClass.Type.Name}. Add one with AddMemoryGrainStorage or AddSqliteGrainStorage.");
        var binding = new GrainStateBinding(attribute.StateName, activation.GrainId, storage, serializer, time, journalOptions.Value.SnapshotInterval, activation.OnStateWriteFailed);
        var state = (IGrainStateParticipant)Activator.CreateInstance(stateType, binding)!;
        activation.AddState(state);
        return state;
    }
}
