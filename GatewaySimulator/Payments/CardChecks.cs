using System.Globalization;

namespace AdWallet.GatewaySimulator.Payments;

/// <summary>The shape of a card number and expiry. A bad one is a 400, not a decline: the client sent nonsense.</summary>
internal static class CardChecks
{
    /// <summary>12 to 19 digits that pass the Luhn check, as every issued card number does.</summary>
    public static bool IsCardNumber(string? number)
    {
        if (number is null || number.Length is < 12 or > 19 || !number.All(char.IsAsciiDigit))
            return false;
        var sum = 0;
        for (var i = 0; i < number.Length; i++)
        {
            var digit = number[^(i + 1)] - '0';
            if (i % 2 == 1)
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            sum += digit;
        }
        return sum % 10 == 0;
    }

    /// <summary>MM/YY with a month from 01 to 12. The date is not compared with today: expiry is the test cards' business.</summary>
    public static bool IsExpiry(string? expiry) =>
        expiry is [_, _, '/', _, _]
        && int.TryParse(expiry.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12
        && char.IsAsciiDigit(expiry[3]) && char.IsAsciiDigit(expiry[4]);
}
