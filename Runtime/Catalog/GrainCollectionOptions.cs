using Microsoft.Extensions.Options;

namespace Granary.Catalog;

/// <summary>Idle collection of activations. Configuration section <c>GrainCollection</c>.</summary>
public sealed class GrainCollectionOptions
{
    public const string SectionName = "GrainCollection";

    public static readonly TimeSpan DefaultCollectionAge = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan DefaultCollectionQuantum = TimeSpan.FromMinutes(1);

    /// <summary>An activation idle this long is deactivated.</summary>
    public TimeSpan CollectionAge { get; set; } = DefaultCollectionAge;

    /// <summary>How often the collector looks for idle activations.</summary>
    public TimeSpan CollectionQuantum { get; set; } = DefaultCollectionQuantum;
}

internal sealed class GrainCollectionOptionsValidator : IValidateOptions<GrainCollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainCollectionOptions options)
    {
        var failures = new List<string>();
        if (options.CollectionAge <= TimeSpan.Zero)
            failures.Add($"{GrainCollectionOptions.SectionName}:{nameof(options.CollectionAge)} must be positive.");
        if (options.CollectionQuantum <= TimeSpan.Zero)
            failures.Add($"{GrainCollectionOptions.SectionName}:{nameof(options.CollectionQuantum)} must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
