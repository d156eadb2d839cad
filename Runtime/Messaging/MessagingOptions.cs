using Microsoft.Extensions.Options;

namespace Granary.Messaging;

/// <summary>Options for grain calls. Configuration section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a caller waits for an answer before the call fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = DefaultResponseTimeout;
}

internal sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options) =>
        options.ResponseTimeout > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{MessagingOptions.SectionName}:{nameof(MessagingOptions.ResponseTimeout)} must be positive.");
}
