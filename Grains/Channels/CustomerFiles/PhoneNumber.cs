namespace AdWallet.Grains.Channels.CustomerFiles;

/// <summary>
/// Phone numbers as customer files and friend lists write them, brought to one form: <c>+</c>, the country code and
/// the national number, digits only (E.164), e.g. <c>010-1234-5678</c>, <c>01012345678</c> and
/// <c>+82 10 1234 5678</c> are all <c>+821012345678</c>.
/// </summary>
public static class PhoneNumber
{
    /// <summary>Longer values are refused as <see cref="RejectionReasons.TooLong"/> before they are looked at.</summary>
    public const int MaxLength = 32;

    private const string Korea = "82";

    /// <summary>Separators people type between digits; they carry no meaning.</summary>
    private static readonly string Separators = " -.()/\t";

    /// <summary>The normalized number, or null with the reason it follows no rule.</summary>
    public static string? Normalize(string? value, out string? rejection)
    {
        var trimmed = value?.Trim() ?? "";
        rejection = null;
        if (trimmed.Length == 0)
        {
            rejection = RejectionReasons.Empty;
            return null;
        }
        if (trimmed.Length > MaxLength)
        {
            rejection = RejectionReasons.TooLong;
            return null;
        }
        var international = trimmed[0] == '+';
        Span<char> digits = stackalloc char[MaxLength];
        var count = 0;
        foreach (var c in international ? trimmed.AsSpan(1) : trimmed)
        {
            if (char.IsAsciiDigit(c)) digits[count++] = c;
            else if (!Separators.Contains(c))
            {
                rejection = RejectionReasons.InvalidPhone;
                return null;
            }
        }
        var number = new string(digits[..count]);
        if (!international && number.StartsWith("00", StringComparison.Ordinal))
        {
            // 00 is the international call prefix: 0082 10 ... is +82 10 ...
            international = true;
            number = number[2..];
        }
        var normalized = international ? International(number) : Domestic(number);
        if (normalized is null) rejection = RejectionReasons.InvalidPhone;
        return normalized;
    }

    /// <summary>The normalized number, or null.</summary>
    public static string? Normalize(string? value) => Normalize(value, out _);

    private static string? International(string number)
    {
        // A Korean number written with its trunk 0 after the country code: +82 010 ... is +82 10 ...
        if (number.StartsWith(Korea + "0", StringComparison.Ordinal)) number = Korea + number[3..];
        if (number.StartsWith(Korea, StringComparison.Ordinal)) return Domestic("0" + number[Korea.Length..]);
        return number.Length is >= 8 and <= 15 && number[0] != '0' ? "+" + number : null;
    }

    /// <summary>
    /// A Korean mobile number: 010 and 8 digits, or 011, 016 to 019 and 7 or 8 digits. A spreadsheet that took it for
    /// a number drops the leading 0.
    /// </summary>
    private static string? Domestic(string number)
    {
        if (number.Length is 9 or 10 && number[0] == '1') number = "0" + number;
        var mobile = number.Length is 10 or 11
            && number[0] == '0' && number[1] == '1' && "016789".Contains(number[2])
            && (number[2] != '0' || number.Length == 11);
        return mobile ? "+" + Korea + number[1..] : null;
    }
}

/// <summary>Why a customer file row was not registered.</summary>
public static class RejectionReasons
{
    public const string Empty = "empty";
    public const string TooLong = "too_long";
    public const string InvalidPhone = "invalid_phone";
}
