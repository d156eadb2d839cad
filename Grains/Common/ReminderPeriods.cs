using Orleans.Configuration;

namespace AdWallet.Grains;

public static class ReminderPeriods
{
    /// <summary>
    /// <paramref name="period"/>, or Orleans' minimum reminder period if that is longer: a period every registration
    /// accepts, for a grain whose period comes from configuration or a constant that may be shorter than the minimum.
    /// </summary>
    public static TimeSpan AtLeastMinimum(this ReminderOptions options, TimeSpan period) =>
        period < options.MinimumReminderPeriod ? options.MinimumReminderPeriod : period;
}
