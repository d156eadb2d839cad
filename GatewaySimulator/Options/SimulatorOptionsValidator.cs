using Microsoft.Extensions.Options;

namespace AdWallet.GatewaySimulator.Options;

/// <summary>Stops the start on a bad <c>Simulator</c> value, naming its key, rather than failing at the first request.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    private const string Section = SimulatorOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataPath))
            failures.Add($"{Section}:{nameof(options.DataPath)} must name the folder of the SQLite file.");
        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            failures.Add($"{Section}:{nameof(options.FileName)} must be a file name without a folder, not '{options.FileName}'.");
        // Basic authentication ends the user name at the first colon, so a key with one could never be sent.
        if (string.IsNullOrEmpty(options.SecretKey) || options.SecretKey.Contains(':'))
            failures.Add($"{Section}:{nameof(options.SecretKey)} must be a non-empty key without ':'.");
        if (string.IsNullOrEmpty(options.WebhookSecret))
            failures.Add($"{Section}:{nameof(options.WebhookSecret)} must not be empty.");
        if (options.WebhookUrl is { Length: > 0 } url && !IsHttpUrl(url))
            failures.Add($"{Section}:{nameof(options.WebhookUrl)} must be an absolute http or https URL, not '{url}'.");
        var delivery = options.Webhooks;
        if (delivery.FirstRetryDelay <= TimeSpan.Zero)
            failures.Add($"{Section}:Webhooks:{nameof(delivery.FirstRetryDelay)} must be positive, not {delivery.FirstRetryDelay}.");
        if (delivery.MaxRetryDelay < delivery.FirstRetryDelay)
            failures.Add($"{Section}:Webhooks:{nameof(delivery.MaxRetryDelay)} must be at least FirstRetryDelay, not {delivery.MaxRetryDelay}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
