using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace AdWallet.Silo;

/// <summary>
/// The <c>Dashboard</c> section (<see cref="DashboardOptions"/>): the dashboard samples counters at least a second
/// apart, and keeps at least one sample.
/// </summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public const string SectionName = "Dashboard";

    public const int MinimumCounterUpdateIntervalMs = 1_000;

    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        if (options.CounterUpdateIntervalMs < MinimumCounterUpdateIntervalMs)
            failures.Add($"{SectionName}:{nameof(options.CounterUpdateIntervalMs)} must be at least {MinimumCounterUpdateIntervalMs}.");
        if (options.HistoryLength < 1)
            failures.Add($"{SectionName}:{nameof(options.HistoryLength)} must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
