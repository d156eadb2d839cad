using Microsoft.Extensions.Options;

namespace Granary.Catalog;

/// <summary>
/// Which grain class implements which grain type, and which grain type a grain interface resolves to.
/// </summary>
internal sealed class GrainTypeManifest
{
    private const string GrainSuffix = "Grain";

    private readonly Dictionary<string, GrainClass> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<string>> _typesByInterface = [];

    public GrainTypeManifest(IOptions<GrainTypeOptions> options)
    {
        foreach (var type in options.Value.Classes.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var grainClass = new GrainClass(GrainTypeName(type), type);
            if (!_classes.TryAdd(grainClass.GrainType, grainClass))
                throw new InvalidOperationException(
                    $"Grain classes {_classes[grainClass.GrainType].Type} and {type} share the grain type '{grainClass.GrainType}'. Name one with [GrainType].");

            foreach (var contract in type.GetInterfaces().Where(IsGrainInterface))
            {
                if (!_typesByInterface.TryGetValue(contract, out var list))
                    _typesByInterface[contract] = list = [];
                list.Add(grainClass.GrainType);
            }
        }
    }

    public IEnumerable<GrainClass> Classes => _classes.Values;

    public bool TryGetClass(string grainType, out GrainClass grainClass) => _classes.TryGetValue(grainType, out grainClass!);

    public string GetGrainType(Type grainInterface)
    {
        if (!_typesByInterface.TryGetValue(grainInterface, out var types))
            throw new ArgumentException($"No grain class implements {grainInterface.Name}. Was its assembly added with AddGrains?");
        if (types.Count > 1)
            throw new ArgumentException($"Several grain classes implement {grainInterface.Name} ({string.Join(", ", types)}); address them by grain id.");
        return types[0];
    }

    private static bool IsGrainInterface(Type type) =>
        typeof(IGrain).IsAssignableFrom(type)
        && type != typeof(IGrain)
        && type != typeof(IGrainWithStringKey)
        && type != typeof(IGrainWithGuidKey)
        && type != typeof(IGrainWithIntegerKey);

    private static string GrainTypeName(Type type)
    {
        var attribute = (GrainTypeAttribute?)Attribute.GetCustomAttribute(type, typeof(GrainTypeAttribute), inherit: false);
        if (attribute is not null) return attribute.Name;
        var name = type.Name.EndsWith(GrainSuffix, StringComparison.Ordinal) && type.Name.Length > GrainSuffix.Length
            ? type.Name[..^GrainSuffix.Length]
            : type.Name;
        return name.ToLowerInvariant();
    }
}

/// <summary>A grain class and how it behaves.</summary>
internal sealed class GrainClass(string grainType, Type type)
{
    public string GrainType { get; } = grainType;

    public Type Type { get; } = type;

    public bool IsReentrant { get; } = type.IsDefined(typeof(ReentrantAttribute), inherit: true);
}
