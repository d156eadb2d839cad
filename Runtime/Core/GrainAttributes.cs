namespace Granary;

/// <summary>
/// Lets requests to this grain interleave: a new request may start while another waits on an <c>await</c>.
/// Every turn still runs alone; only the waits overlap.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>Lets calls to this interface method interleave with any other request of the grain.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>Names the grain type used in grain ids and storage. Defaults to the class name without a "Grain" suffix, in lower case.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
