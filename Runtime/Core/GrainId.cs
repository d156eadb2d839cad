namespace Granary;

/// <summary>
/// The identity of a grain: its grain type and its key. A grain is always addressed by identity, never by location.
/// </summary>
/// <remarks>Written as <c>type/key</c>, for example <c>wallet/w-123</c>.</remarks>
public readonly record struct GrainId(string Type, string Key)
{
    public static GrainId Create(string type, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(key);
        if (type.Contains('/'))
            throw new ArgumentException("A grain type may not contain '/'.", nameof(type));
        return new GrainId(type, key);
    }

    public static GrainId Parse(string value)
    {
        var slash = value.IndexOf('/');
        if (slash <= 0)
            throw new FormatException($"'{value}' is not a grain id of the form type/key.");
        return new GrainId(value[..slash], value[(slash + 1)..]);
    }

    /// <summary>A hash that is the same in every process, for partitioning grains and reminders over silos.</summary>
    public uint GetUniformHashCode()
    {
        // FNV-1a over the UTF-16 code units of "type/key"; string.GetHashCode is randomized per process.
        var hash = 2166136261u;
        foreach (var c in Type) hash = (hash ^ c) * 16777619u;
        hash = (hash ^ '/') * 16777619u;
        foreach (var c in Key) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    public override string ToString() => $"{Type}/{Key}";
}
