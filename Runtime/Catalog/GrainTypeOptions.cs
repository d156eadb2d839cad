using System.Reflection;

namespace Granary.Catalog;

/// <summary>The grain classes a silo can activate. Filled by <c>ISiloBuilder.AddGrains</c>.</summary>
public sealed class GrainTypeOptions
{
    public HashSet<Type> Classes { get; } = [];

    public void AddAssembly(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(Grain).IsAssignableFrom(type))
                Classes.Add(type);
        }
    }
}
