using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AdWallet.Api.Requests;

/// <summary>
/// Reads the fields of a JSON object strictly (no strings for numbers or booleans, no fractions for integers) and
/// collects an error for every bad field rather than stopping at the first. A getter answers a placeholder for a bad
/// field; call <see cref="ThrowIfInvalid"/> before using what was read. Absent and <c>null</c> are the same for an
/// optional field. Unknown fields are ignored.
/// </summary>
public sealed partial class FieldReader
{
    private readonly JsonElement _body;

    public FieldReader(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("The body must be a JSON object.", nameof(body));
        _body = body;
    }

    public FieldErrors Errors { get; } = new();

    public void ThrowIfInvalid() => Errors.ThrowIfAny();

    /// <summary>True when the field is present with a value other than null.</summary>
    public bool Has(string name) => TryGet(name, out _);

    public string RequiredString(string name, TextRule rule) =>
        TryGet(name, out var value) ? ReadString(name, value, rule) ?? "" : Missing(name, "");

    public string? OptionalString(string name, TextRule rule) =>
        TryGet(name, out var value) ? ReadString(name, value, rule) : null;

    public string RequiredEnum(string name, IReadOnlyList<string> allowed) =>
        TryGet(name, out var value) ? ReadEnum(name, value, allowed) ?? "" : Missing(name, "");

    public string? OptionalEnum(string name, IReadOnlyList<string> allowed) =>
        TryGet(name, out var value) ? ReadEnum(name, value, allowed) : null;

    public long RequiredInteger(string name, IntegerRule rule) =>
        TryGet(name, out var value) ? ReadInteger(name, value, rule) ?? 0 : Missing(name, 0L);

    public long? OptionalInteger(string name, IntegerRule rule) =>
        TryGet(name, out var value) ? ReadInteger(name, value, rule) : null;

    public bool RequiredBoolean(string name) =>
        TryGet(name, out var value) ? ReadBoolean(name, value) ?? false : Missing(name, false);

    public bool? OptionalBoolean(string name) =>
        TryGet(name, out var value) ? ReadBoolean(name, value) : null;

    /// <summary>A calendar date, YYYY-MM-DD.</summary>
    public DateOnly RequiredDate(string name)
    {
        if (!TryGet(name, out var value)) return Missing(name, default(DateOnly));
        var text = ReadString(name, value, DateRule);
        if (text is null) return default;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        Errors.Add(name, DateRule.Expectation);
        return default;
    }

    /// <summary>An ISO 8601 date and time with its offset (Z or ±hh:mm): a time without one names no instant.</summary>
    public DateTimeOffset RequiredDateTime(string name)
    {
        if (!TryGet(name, out var value)) return Missing(name, default(DateTimeOffset));
        var text = ReadString(name, value, DateTimeRule);
        if (text is null) return default;
        if (DateTimeWithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            return instant;
        Errors.Add(name, DateTimeRule.Expectation);
        return default;
    }

    public DateTimeOffset? OptionalDateTime(string name) => Has(name) ? RequiredDateTime(name) : null;

    /// <summary>An array of strings, each checked with <paramref name="itemRule"/> and named <c>name[i]</c> when bad.</summary>
    public IReadOnlyList<string> RequiredStringArray(string name, int maxItems, TextRule itemRule)
    {
        if (!TryGet(name, out var value)) return Missing<IReadOnlyList<string>>(name, []);
        if (value.ValueKind != JsonValueKind.Array)
        {
            Errors.Add(name, "must be an array.");
            return [];
        }
        var count = value.GetArrayLength();
        if (count > maxItems)
        {
            Errors.Add(name, $"must have at most {maxItems:N0} items.");
            return [];
        }
        var items = new List<string>(count);
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemName = $"{name}[{index++}]";
            items.Add(item.ValueKind == JsonValueKind.Null ? Missing(itemName, "") : ReadString(itemName, item, itemRule) ?? "");
        }
        return items;
    }

    private static readonly TextRule DateRule = new(10, "must be a date as YYYY-MM-DD.");
    private static readonly TextRule DateTimeRule = new(40, "must be an ISO 8601 date and time with an offset, such as 2030-01-31T09:00:00+09:00.");

    private bool TryGet(string name, out JsonElement value) =>
        _body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private T Missing<T>(string name, T placeholder)
    {
        Errors.Add(name, "is required.");
        return placeholder;
    }

    private string? ReadString(string name, JsonElement value, TextRule rule)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.Add(name, "must be a string.");
            return null;
        }
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate such as "\ud800" is valid JSON but no text.
            Errors.Add(name, "must be valid Unicode text.");
            return null;
        }
        if (text.Length == 0)
        {
            Errors.Add(name, "must not be empty.");
            return null;
        }
        if (text.Length > rule.MaxLength)
        {
            Errors.Add(name, $"must be at most {rule.MaxLength:N0} characters.");
            return null;
        }
        if (rule.FreeText)
        {
            if (text.Any(char.IsControl))
            {
                Errors.Add(name, "must not contain control characters.");
                return null;
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                Errors.Add(name, "must not be blank.");
                return null;
            }
        }
        if (rule.IsValid is not null && !rule.IsValid(text))
        {
            Errors.Add(name, rule.Expectation);
            return null;
        }
        return text;
    }

    private string? ReadEnum(string name, JsonElement value, IReadOnlyList<string> allowed)
    {
        var expectation = $"must be one of {string.Join(", ", allowed)}.";
        if (value.ValueKind == JsonValueKind.String && allowed.FirstOrDefault(value.ValueEquals) is { } match)
            return match;
        Errors.Add(name, expectation);
        return null;
    }

    private long? ReadInteger(string name, JsonElement value, IntegerRule rule)
    {
        // TryGetInt64 refuses fractions and exponents (1.5, 1.0, 1e3) and anything outside long.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && rule.Allows(number))
            return number;
        Errors.Add(name, rule.Expectation);
        return null;
    }

    private bool? ReadBoolean(string name, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Errors.Add(name, "must be true or false.");
        return null;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})\z")]
    private static partial Regex DateTimeWithOffset();
}
