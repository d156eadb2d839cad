using System.Globalization;
using AdWallet.Grains;
using Microsoft.Extensions.Primitives;

namespace AdWallet.Api.Requests;

/// <summary>Reads query parameters as strictly as <see cref="FieldReader"/> reads bodies, collecting every error.</summary>
public sealed class QueryReader(IQueryCollection query)
{
    private const int MaxCursorLength = 512;

    public FieldErrors Errors { get; } = new();

    public void ThrowIfInvalid() => Errors.ThrowIfAny();

    /// <summary><c>limit</c> (1–200, default 50) and <c>cursor</c>, the page after the one that gave it.</summary>
    public PageRequest Page()
    {
        var limit = PageRequest.DefaultLimit;
        if (Single("limit") is { } text)
        {
            if (text.Length <= 3 && text.All(char.IsAsciiDigit) && int.Parse(text) is >= 1 and <= PageRequest.MaxLimit and var parsed)
                limit = parsed;
            else
                Errors.Add("limit", $"must be an integer from 1 to {PageRequest.MaxLimit}.");
        }

        var cursor = Single("cursor");
        if (cursor is not null && (cursor.Length > MaxCursorLength || !cursor.All(c => c is > ' ' and <= '~')))
        {
            Errors.Add("cursor", "must be a cursor from a previous page.");
            cursor = null;
        }
        return new PageRequest(limit, cursor);
    }

    public string? OptionalEnum(string name, IReadOnlyList<string> allowed)
    {
        var text = Single(name);
        if (text is null || allowed.Contains(text)) return text;
        Errors.Add(name, $"must be one of {string.Join(", ", allowed)}.");
        return null;
    }

    /// <summary>An ISO 8601 date and time with its offset, such as <c>2026-12-03T00:00:00+09:00</c>.</summary>
    public DateTimeOffset? OptionalTimestamp(string name)
    {
        var text = Single(name);
        if (text is null) return null;
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var value) && (text.EndsWith('Z') || text[^6] is '+' or '-'))
            return value;
        Errors.Add(name, "must be an ISO 8601 date and time with an offset, such as 2026-12-03T00:00:00Z.");
        return null;
    }

    private string? Single(string name)
    {
        if (!query.TryGetValue(name, out var values) || StringValues.IsNullOrEmpty(values)) return null;
        if (values.Count == 1) return values[0];
        Errors.Add(name, "must be given once.");
        return null;
    }
}
