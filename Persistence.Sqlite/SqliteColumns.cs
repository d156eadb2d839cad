using System.Globalization;
using Orleans.Runtime;

namespace AdWallet.Persistence.Sqlite;

/// <summary>How values are written to columns: grain ids as <c>type/key</c>, times as UTC ticks, ETags as versions.</summary>
internal static class SqliteColumns
{
    public static string FromGrainId(GrainId grainId)
    {
        // type/key is unambiguous only while the type has no '/'; GrainId.Create enforces that, default(GrainId) does not.
        if (grainId.IsDefault || grainId.Type.IsDefault)
            throw new ArgumentException($"'{grainId}' is not a valid grain id.", nameof(grainId));
        return grainId.ToString();
    }

    public static GrainId ToGrainId(string value) => GrainId.Parse(value);

    public static long FromTimestamp(DateTimeOffset value) => value.UtcTicks;

    public static DateTimeOffset ToTimestamp(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    /// <summary>A reminder's time as UTC ticks: Orleans gives UTC times, but a local one is converted rather than misread.</summary>
    public static long FromDateTime(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks;

    public static DateTime ToDateTime(long utcTicks) => new(utcTicks, DateTimeKind.Utc);

    public static string ToETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads an ETag back as a version. Only the exact text <see cref="ToETag"/> produces matches.</summary>
    public static bool TryFromETag(string? eTag, out long version)
    {
        version = 0;
        return eTag is not null
            && long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out version)
            && ToETag(version) == eTag;
    }
}
