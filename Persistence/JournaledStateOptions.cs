using Microsoft.Extensions.Options;

namespace AdWallet.Persistence;

/// <summary>Journaled state. Configuration section <c>JournaledState</c>.</summary>
public sealed class JournaledStateOptions
{
    public const string SectionName = "JournaledState";

    public const int DefaultSnapshotInterval = 256;

    /// <summary>How many entries may follow the stored snapshot before the next write stores a new one, at least.</summary>
    public int SnapshotInterval { get; set; } = DefaultSnapshotInterval;
}

public sealed class JournaledStateOptionsValidator : IValidateOptions<JournaledStateOptions>
{
    public ValidateOptionsResult Validate(string? name, JournaledStateOptions options) =>
        options.SnapshotInterval >= 1
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{JournaledStateOptions.SectionName}:{nameof(JournaledStateOptions.SnapshotInterval)} must be 1 or more.");
}
