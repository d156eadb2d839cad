namespace AdWallet.Api.Requests;

/// <summary>
/// What a string field must look like. <see cref="FreeText"/> fields (names) take any text but control characters
/// and may not be blank; the others must also pass <see cref="IsValid"/>, or the client reads <see cref="Expectation"/>.
/// </summary>
public sealed record TextRule(int MaxLength, string Expectation, Func<string, bool>? IsValid = null, bool FreeText = false)
{
    public static readonly TextRule Name = new(100, "must be 1 to 100 characters.", FreeText: true);
    public static readonly TextRule Email = new(254, "must be an email address.", Formats.IsEmail);
    public static readonly TextRule UserId = new(Formats.MaxUserIdLength, "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -.", Formats.IsUserId);
    public static readonly TextRule ResourceId = new(Formats.MaxResourceIdLength, "must be 1 to 100 characters of A-Z, a-z, 0-9, _ and -.", Formats.IsResourceId);
    public static readonly TextRule BusinessRegistrationNumber = new(10, "must be exactly 10 digits.", Formats.IsBusinessRegistrationNumber);
    public static readonly TextRule Phone = new(16, "must be + followed by 8 to 15 digits.", Formats.IsPhone);
    public static readonly TextRule CardNumber = new(19, "must be 12 to 19 digits with a valid check digit.", Formats.IsCardNumber);
    public static readonly TextRule CardExpiry = new(5, "must be MM/YY with a month from 01 to 12.", Formats.IsCardExpiry);
}

/// <summary>An integer field's range, and its step when values must be multiples of one.</summary>
public sealed record IntegerRule(long Min, long Max, long Step = 1)
{
    public string Expectation => Step == 1
        ? $"must be an integer from {Min:N0} to {Max:N0}."
        : $"must be an integer from {Min:N0} to {Max:N0} in steps of {Step:N0}.";

    public bool Allows(long value) => value >= Min && value <= Max && value % Step == 0;
}
