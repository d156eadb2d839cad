namespace AdWallet.Grains.Payments;

/// <summary>The business day is Asia/Seoul's: UTC+9 all year (Korea keeps no daylight saving time).</summary>
public static class BusinessCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>The next 00:00 in Seoul strictly after <paramref name="at"/>.</summary>
    public static DateTimeOffset NextMidnight(DateTimeOffset at) =>
        new DateTimeOffset(Day(at).AddDays(1).ToDateTime(TimeOnly.MinValue), Offset);
}
