using System.Globalization;

namespace Granary;

/// <summary>
/// Where a silo listens for other silos, and which start of it this is: a silo restarted on the same host and port
/// has a new <see cref="Generation"/>, so messages and rows meant for the old one are never taken by the new one.
/// </summary>
/// <remarks>Written as <c>host:port@generation</c>, for example <c>127.0.0.1:11111@638999999999</c>.</remarks>
public readonly record struct SiloAddress(string Host, int Port, long Generation) : IComparable<SiloAddress>
{
    public static SiloAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.LastIndexOf('@');
        var colon = at > 0 ? value.LastIndexOf(':', at - 1) : -1;
        if (colon <= 0
            || !int.TryParse(value.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(value.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
            throw new FormatException($"'{value}' is not a silo address of the form host:port@generation.");
        return new SiloAddress(value[..colon], port, generation);
    }

    /// <summary>The endpoint alone, <c>host:port</c>.</summary>
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A hash that is the same in every process, for placing the silo on the ring.</summary>
    public uint GetUniformHashCode(int point = 0)
    {
        var hash = 2166136261u;
        foreach (var c in ToString()) hash = (hash ^ c) * 16777619u;
        hash = (hash ^ '#') * 16777619u;
        foreach (var c in point.ToString(CultureInfo.InvariantCulture)) hash = (hash ^ c) * 16777619u;
        // FNV-1a's low bits mix poorly for short inputs; finish with a avalanche step (murmur3 fmix32).
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >> 16;
        return hash;
    }

    public int CompareTo(SiloAddress other)
    {
        var byHost = string.CompareOrdinal(Host, other.Host);
        if (byHost != 0) return byHost;
        var byPort = Port.CompareTo(other.Port);
        return byPort != 0 ? byPort : Generation.CompareTo(other.Generation);
    }

    public override string ToString() =>
        $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}@{Generation.ToString(CultureInfo.InvariantCulture)}";
}
