using System.Globalization;
using Orleans.Runtime;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// How values are written to columns: grain ids as <c>type/key</c>, exact times as UTC ticks (<c>timestamptz</c> keeps
/// only microseconds), ETags as versions.
/// </summary>
internal static class PostgreSqlColumns
{
    public static string FromGrainId(GrainId grainId)
    {
        // type/key is unambiguous only while the type has no '/'; GrainId.Create enforces that, the struct's constructor does not.
        if (grainId.IsDefault || grainId.Type.IsDefault || grainId.Type.ToString()!.Contains('/'))
            throw new ArgumentException($"'{grainId}' is not a valid grain id.", nameof(grainId));
        return CheckText(grainId.ToString(), nameof(grainId));
    }

    public static long FromTimestamp(DateTimeOffset value) => value.UtcTicks;

    public static DateTimeOffset ToTimestamp(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    public static string ToETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads an ETag back as a version. Only the exact text <see cref="ToETag"/> produces matches.</summary>
    public static bool TryFromETag(string eTag, out long version) =>
        long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out version) && ToETag(version) == eTag;

    /// <summary>PostgreSQL <c>text</c> cannot hold U+0000: refuse it here rather than fail the statement in the writer.</summary>
    public static string CheckText(string value, string parameterName)
    {
        if (value.Contains('\0'))
            throw new ArgumentException("PostgreSQL text cannot contain the character U+0000.", parameterName);
        return value;
    }
}
