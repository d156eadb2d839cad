using Microsoft.Extensions.Options;

namespace AdWallet.Grains.Payments;

/// <summary>Auto-pay. Configuration section <c>AutoPay</c>.</summary>
public sealed class AutoPayOptions
{
    public const string SectionName = "AutoPay";

    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// How often auto-pay tries the cards again after every card failed. It is a reminder's period, so a value below
    /// <c>Reminders:MinimumReminderPeriod</c> is raised to that minimum.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = DefaultRetryInterval;
}

public sealed class AutoPayOptionsValidator : IValidateOptions<AutoPayOptions>
{
    public ValidateOptionsResult Validate(string? name, AutoPayOptions options) =>
        options.RetryInterval > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AutoPayOptions.SectionName}:{nameof(AutoPayOptions.RetryInterval)} must be positive.");
}
