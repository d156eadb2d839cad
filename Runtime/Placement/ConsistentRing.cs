namespace Granary.Placement;

/// <summary>
/// The live silos placed on a ring of 32-bit hashes, each at <see cref="PointsPerSilo"/> points. A grain belongs to the
/// silo at the first point at or after its hash (<see cref="GrainId.GetUniformHashCode"/>), going round. Every process
/// that knows the same silos computes the same owner, so no directory is needed; when a silo joins or leaves only the
/// grains of the arcs next to its points change owner.
/// </summary>
internal sealed class ConsistentRing
{
    public const int PointsPerSilo = 64;

    public static readonly ConsistentRing Empty = new([]);

    private readonly uint[] _points;
    private readonly SiloAddress[] _owners;

    public ConsistentRing(IEnumerable<SiloAddress> silos)
    {
        Silos = [.. silos.Distinct().Order()];
        var points = new List<(uint Point, SiloAddress Silo)>(Silos.Count * PointsPerSilo);
        foreach (var silo in Silos)
        {
            for (var i = 0; i < PointsPerSilo; i++) points.Add((silo.GetUniformHashCode(i), silo));
        }
        // Ties (two silos on one point) are broken by address, so every process orders them alike.
        points.Sort(static (left, right) => left.Point != right.Point ? left.Point.CompareTo(right.Point) : left.Silo.CompareTo(right.Silo));
        _points = [.. points.Select(p => p.Point)];
        _owners = [.. points.Select(p => p.Silo)];
    }

    /// <summary>The silos on the ring, in address order.</summary>
    public IReadOnlyList<SiloAddress> Silos { get; }

    public bool IsEmpty => _points.Length == 0;

    /// <summary>The silo that owns <paramref name="hash"/>; null when the ring is empty.</summary>
    public SiloAddress? Owner(uint hash)
    {
        if (_points.Length == 0) return null;
        var index = Array.BinarySearch(_points, hash);
        if (index < 0) index = ~index;
        // Equal points: the first of them owns, whatever BinarySearch landed on.
        while (index > 0 && index < _points.Length && _points[index - 1] == hash) index--;
        return _owners[index == _points.Length ? 0 : index];
    }

    public SiloAddress? Owner(GrainId grainId) => Owner(grainId.GetUniformHashCode());

    public bool Contains(SiloAddress silo) => Array.IndexOf(_owners, silo) >= 0;
}
