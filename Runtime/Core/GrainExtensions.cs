using System.Globalization;
using Granary.GrainReferences;

namespace Granary;

public static class GrainExtensions
{
    /// <summary>The identity of a grain or of a grain reference.</summary>
    public static GrainId GetGrainId(this IAddressable grain) => grain switch
    {
        Grain g => g.GrainId,
        GrainReference r => r.GrainId,
        _ => throw new ArgumentException($"{grain.GetType()} is neither a grain nor a grain reference.", nameof(grain)),
    };

    public static string GetPrimaryKeyString(this IAddressable grain) => grain.GetGrainId().Key;

    public static Guid GetPrimaryKey(this IAddressable grain) => Guid.ParseExact(grain.GetGrainId().Key, "N");

    public static long GetPrimaryKeyLong(this IAddressable grain) => long.Parse(grain.GetGrainId().Key, CultureInfo.InvariantCulture);
}
