using System.Globalization;

namespace Granary.Sqlite;

/// <summary>How values are written to columns: grain ids as <c>type/key</c>, times as UTC ticks, ETags as versions.</summary>
internal static class SqliteColumns
{
    public static string FromGrainId(GrainId grainId)
    {
        // type/key is unambiguous only while the type has no '/'; GrainId.Create enforces that, the struct's constructor does not.
        if (string.IsNullOrEmpty(grainId.Type) || grainId.Type.Contains('/') || grainId.Key is null)
            throw new ArgumentException($"'{grainId}' is not a valid grain id.", nameof(grainId));
        return grainId.ToString();
    }

    public static GrainId ToGrainId(string value) => GrainId.Parse(value);

    public static long FromTimestamp(DateTimeOffset value) => value.UtcTicks;

    public static DateTimeOffset ToTimestamp(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    public static string ToETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads an ETag back as a version. Only the exact text <see cref="ToETag"/> produces matches, as in memory.</summary>
    public static bool TryFromETag(string eTag, out long version) =>
        long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out version) && ToETag(version) == eTag;
}
