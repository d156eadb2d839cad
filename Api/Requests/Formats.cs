using System.Text.RegularExpressions;

namespace AdWallet.Api.Requests;

/// <summary>
/// The shapes of the API's identifiers and values. Patterns use [0-9], not \d (which also matches non-ASCII
/// digits), and end in \z, not $ (which also accepts a final newline).
/// </summary>
public static partial class Formats
{
    public const int MaxUserIdLength = 64;
    public const int MaxResourceIdLength = 100;

    /// <summary>A user id, as in a token's <c>sub</c>: 1–64 characters of A-Za-z0-9_-.</summary>
    public static bool IsUserId(string? value) => value is not null && UserId().IsMatch(value);

    /// <summary>A resource id in a path or body: 1–100 characters of A-Za-z0-9_-. Nothing else can exist.</summary>
    public static bool IsResourceId(string? value) => value is not null && ResourceId().IsMatch(value);

    public static bool IsEmail(string value) => value.Length <= 254 && Email().IsMatch(value);

    public static bool IsBusinessRegistrationNumber(string value) => BusinessRegistrationNumber().IsMatch(value);

    /// <summary>An international phone number: + and 8–15 digits.</summary>
    public static bool IsPhone(string value) => Phone().IsMatch(value);

    /// <summary>12–19 digits whose last is the Luhn check digit of the others.</summary>
    public static bool IsCardNumber(string value) => CardNumber().IsMatch(value) && PassesLuhn(value);

    /// <summary>MM/YY with a month from 01 to 12.</summary>
    public static bool IsCardExpiry(string value) => CardExpiry().IsMatch(value);

    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubled)
            {
                digit *= 2;
                if (digit > 9) digit -= 9;
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex UserId();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,100}\z")]
    private static partial Regex ResourceId();

    // Deliberately loose: one @, no spaces or controls, a dot in the domain. Deliverability is not a shape.
    [GeneratedRegex(@"^[^@\s\p{C}]{1,64}@[^@\s\p{C}]+\.[^@\s\p{C}.]+\z")]
    private static partial Regex Email();

    [GeneratedRegex(@"^[0-9]{10}\z")]
    private static partial Regex BusinessRegistrationNumber();

    [GeneratedRegex(@"^\+[0-9]{8,15}\z")]
    private static partial Regex Phone();

    [GeneratedRegex(@"^[0-9]{12,19}\z")]
    private static partial Regex CardNumber();

    [GeneratedRegex(@"^(0[1-9]|1[0-2])/[0-9]{2}\z")]
    private static partial Regex CardExpiry();
}
