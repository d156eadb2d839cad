using Microsoft.Extensions.Options;

namespace Granary.Storage;

/// <summary>Journaled state. Configuration section <c>JournaledState</c>.</summary>
public sealed class JournaledStateOptions
{
    public const string SectionName = "JournaledState";

    public const int DefaultSnapshotInterval = 256;

    /// <summary>For state that is a projection of its journal: how many entries may follow the stored snapshot.</summary>
    public int SnapshotInterval { get; set; } = DefaultSnapshotInterval;
}

internal sealed class JournaledStateOptionsValidator : IValidateOptions<JournaledStateOptions>
{
    public ValidateOptionsResult Validate(string? name, JournaledStateOptions options) =>
        options.SnapshotInterval >= 1
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{JournaledStateOptions.SectionName}:{nameof(JournaledStateOptions.SnapshotInterval)} must be 1 or more.");
}
