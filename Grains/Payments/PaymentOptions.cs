using Microsoft.Extensions.Options;

namespace AdWallet.Grains.Payments;

/// <summary>How payments are reconciled. Configuration section <c>Payments</c>.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    public static readonly TimeSpan DefaultReconciliationInterval = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan DefaultPendingGracePeriod = TimeSpan.FromMinutes(2);

    public const int DefaultReconciliationBatch = 10_000;

    /// <summary>
    /// How often a wallet with unsettled payments asks the gateway what really happened. It is a reminder's period, so a
    /// value below <c>Reminders:MinimumReminderPeriod</c> is raised to that minimum.
    /// </summary>
    public TimeSpan ReconciliationInterval { get; set; } = DefaultReconciliationInterval;

    /// <summary>A pending charge the gateway has no capture for is declared failed once it is this old.</summary>
    public TimeSpan PendingGracePeriod { get; set; } = DefaultPendingGracePeriod;

    /// <summary>
    /// At most this many of a wallet's captures are checked per reconciliation tick; the next tick goes on from there.
    /// A wallet charged faster than this per interval for long is reconciled behind its charges until the rate drops.
    /// </summary>
    public int ReconciliationBatch { get; set; } = DefaultReconciliationBatch;
}

public sealed class PaymentOptionsValidator : IValidateOptions<PaymentOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentOptions options)
    {
        var failures = new List<string>();
        if (options.ReconciliationInterval <= TimeSpan.Zero)
            failures.Add($"{PaymentOptions.SectionName}:{nameof(options.ReconciliationInterval)} must be positive.");
        if (options.PendingGracePeriod <= TimeSpan.Zero)
            failures.Add($"{PaymentOptions.SectionName}:{nameof(options.PendingGracePeriod)} must be positive.");
        if (options.ReconciliationBatch < 1)
            failures.Add($"{PaymentOptions.SectionName}:{nameof(options.ReconciliationBatch)} must be 1 or more.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
