using System.Reflection;
using Granary.Messaging;

namespace Granary.GrainReferences;

/// <summary>
/// A typed reference to a grain: every call on the grain interface becomes a request to the grain's activation,
/// wherever it is. References are values: equal when they name the same grain through the same interface.
/// </summary>
public class GrainReference : DispatchProxy, IEquatable<GrainReference>
{
    public GrainId GrainId { get; private set; }

    /// <summary>The grain interface this reference was made for.</summary>
    public Type InterfaceType { get; private set; } = null!;

    internal IRuntimeClient Runtime { get; private set; } = null!;

    internal void Initialize(GrainId grainId, Type interfaceType, IRuntimeClient runtime)
    {
        GrainId = grainId;
        InterfaceType = interfaceType;
        Runtime = runtime;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        GrainMethod.For(targetMethod!).Send(this, args ?? []);

    public bool Equals(GrainReference? other) =>
        other is not null && GrainId == other.GrainId && InterfaceType == other.InterfaceType;

    public override bool Equals(object? obj) => Equals(obj as GrainReference);

    public override int GetHashCode() => HashCode.Combine(GrainId, InterfaceType);

    public override string ToString() => $"{InterfaceType.Name}:{GrainId}";
}
