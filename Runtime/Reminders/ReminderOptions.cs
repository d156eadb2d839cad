using Microsoft.Extensions.Options;

namespace Granary.Reminders;

/// <summary>Durable reminders. Configuration section <c>Reminders</c>.</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Reminders";

    public static readonly TimeSpan DefaultMinimumPeriod = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan DefaultRefreshPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The shortest period a reminder may have. Reminders are for coarse, durable schedules; use timers below this.</summary>
    public TimeSpan MinimumPeriod { get; set; } = DefaultMinimumPeriod;

    /// <summary>
    /// <paramref name="period"/>, or <see cref="MinimumPeriod"/> if that is longer: a period every reminder registration
    /// accepts, for a grain whose period comes from configuration or a constant that may be shorter than the minimum.
    /// </summary>
    public TimeSpan AtLeastMinimum(TimeSpan period) => period < MinimumPeriod ? MinimumPeriod : period;

    /// <summary>
    /// Cluster mode: how often a silo reads the reminders of its share of the ring again, to pick up what other silos
    /// wrote for its grains while the silos disagreed on the ring.
    /// </summary>
    public TimeSpan RefreshPeriod { get; set; } = DefaultRefreshPeriod;
}

internal sealed class ReminderOptionsValidator : IValidateOptions<ReminderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReminderOptions options)
    {
        List<string> failures = [];
        if (options.MinimumPeriod <= TimeSpan.Zero)
            failures.Add($"{ReminderOptions.SectionName}:{nameof(ReminderOptions.MinimumPeriod)} must be positive.");
        if (options.RefreshPeriod <= TimeSpan.Zero)
            failures.Add($"{ReminderOptions.SectionName}:{nameof(ReminderOptions.RefreshPeriod)} must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
