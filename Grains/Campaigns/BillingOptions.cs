using Microsoft.Extensions.Options;

namespace AdWallet.Grains.Campaigns;

/// <summary>How campaign spend settles to the wallet. Configuration section <c>Billing</c>.</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing";

    public static readonly TimeSpan DefaultSettlementInterval = TimeSpan.FromSeconds(10);

    public const long DefaultSettlementThreshold = 100_000;

    /// <summary>How often an active campaign settles what it has accrued.</summary>
    public TimeSpan SettlementInterval { get; set; } = DefaultSettlementInterval;

    /// <summary>Accrued spend that is settled at once, without waiting for the interval.</summary>
    public long SettlementThreshold { get; set; } = DefaultSettlementThreshold;
}

public sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = new List<string>();
        if (options.SettlementInterval <= TimeSpan.Zero)
            failures.Add($"{BillingOptions.SectionName}:{nameof(options.SettlementInterval)} must be positive.");
        if (options.SettlementThreshold < 1)
            failures.Add($"{BillingOptions.SectionName}:{nameof(options.SettlementThreshold)} must be 1 won or more.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
