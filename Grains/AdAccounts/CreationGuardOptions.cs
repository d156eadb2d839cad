using Microsoft.Extensions.Options;

namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// The mass-creation guard (docs/domain-rules.md). Configuration section <c>CreationGuard</c>: at most
/// <see cref="MaxCreations"/> ad accounts per creator, and campaigns per ad account, within any <see cref="Window"/>
/// before the master is warned; only after the warning is a creation refused.
/// </summary>
public sealed class CreationGuardOptions
{
    public const string SectionName = "CreationGuard";

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    public const int DefaultMaxCreations = 20;

    /// <summary>The sliding window creations are counted in.</summary>
    public TimeSpan Window { get; set; } = DefaultWindow;

    /// <summary>Creations allowed within the window without a warning.</summary>
    public int MaxCreations { get; set; } = DefaultMaxCreations;
}

public sealed class CreationGuardOptionsValidator : IValidateOptions<CreationGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, CreationGuardOptions options)
    {
        var failures = new List<string>();
        if (options.Window <= TimeSpan.Zero)
            failures.Add($"{CreationGuardOptions.SectionName}:{nameof(options.Window)} must be positive.");
        if (options.MaxCreations < 1)
            failures.Add($"{CreationGuardOptions.SectionName}:{nameof(options.MaxCreations)} must be 1 or more.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
