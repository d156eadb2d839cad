using Microsoft.Extensions.Options;

namespace Granary.Membership;

/// <summary>How silos keep the membership table. Configuration section <c>Membership</c>.</summary>
public sealed class ClusterMembershipOptions
{
    public const string SectionName = "Membership";

    public static readonly TimeSpan DefaultIAmAlivePeriod = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultRefreshPeriod = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultDeathTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultDefunctSiloRetention = TimeSpan.FromHours(1);

    /// <summary>How often a silo writes its heartbeat.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = DefaultIAmAlivePeriod;

    /// <summary>How often a silo (or a client) reads the table to follow joins and leaves.</summary>
    public TimeSpan RefreshPeriod { get; set; } = DefaultRefreshPeriod;

    /// <summary>A silo whose last heartbeat is older than this is declared dead, and its grains and reminders move.</summary>
    public TimeSpan DeathTimeout { get; set; } = DefaultDeathTimeout;

    /// <summary>How long the rows of dead silos stay in the table, for operators, before they are removed.</summary>
    public TimeSpan DefunctSiloRetention { get; set; } = DefaultDefunctSiloRetention;
}

internal sealed class ClusterMembershipOptionsValidator : IValidateOptions<ClusterMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterMembershipOptions options)
    {
        List<string> failures = [];
        const string section = ClusterMembershipOptions.SectionName;
        if (options.IAmAlivePeriod <= TimeSpan.Zero) failures.Add($"{section}:{nameof(options.IAmAlivePeriod)} must be positive.");
        if (options.RefreshPeriod <= TimeSpan.Zero) failures.Add($"{section}:{nameof(options.RefreshPeriod)} must be positive.");
        if (options.DeathTimeout < 2 * options.IAmAlivePeriod)
            failures.Add($"{section}:{nameof(options.DeathTimeout)} must be at least twice {section}:{nameof(options.IAmAlivePeriod)}, so one late heartbeat does not kill a silo.");
        if (options.DefunctSiloRetention < options.DeathTimeout)
            failures.Add($"{section}:{nameof(options.DefunctSiloRetention)} must be at least {section}:{nameof(options.DeathTimeout)}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
