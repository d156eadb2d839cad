using Microsoft.Extensions.Options;

namespace Granary.Reminders;

/// <summary>Durable reminders. Configuration section <c>Reminders</c>.</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Reminders";

    public static readonly TimeSpan DefaultMinimumPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The shortest period a reminder may have. Reminders are for coarse, durable schedules; use timers below this.</summary>
    public TimeSpan MinimumPeriod { get; set; } = DefaultMinimumPeriod;
}

internal sealed class ReminderOptionsValidator : IValidateOptions<ReminderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReminderOptions options) =>
        options.MinimumPeriod > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ReminderOptions.SectionName}:{nameof(ReminderOptions.MinimumPeriod)} must be positive.");
}
