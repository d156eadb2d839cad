using Microsoft.Extensions.Options;

namespace AdWallet.Payments.Http;

/// <summary>How the platform reaches the payment gateway, and how it checks the gateway's webhooks. Section <c>Payments</c>.</summary>
public sealed class PaymentGatewayOptions
{
    public const string SectionName = "Payments";

    /// <summary>The test keys of the gateway simulator's defaults, so that the embedded platform needs no configuration.</summary>
    public const string DefaultSecretKey = "sim_secret_key";

    public const string DefaultWebhookSecret = "sim_webhook_secret";

    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(15);

    public const int DefaultMaxRetries = 2;

    public static readonly TimeSpan DefaultWebhookTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The gateway's base address. In embedded mode, when unset, the platform starts the simulator itself.</summary>
    public Uri? GatewayUrl { get; set; }

    /// <summary>The merchant's secret key at the gateway.</summary>
    public string GatewaySecretKey { get; set; } = DefaultSecretKey;

    /// <summary>The key of the gateway's webhook signatures (HMAC-SHA256).</summary>
    public string WebhookSecret { get; set; } = DefaultWebhookSecret;

    /// <summary>How long one request to the gateway may take before it is abandoned (and, if safe, retried).</summary>
    public TimeSpan AttemptTimeout { get; set; } = DefaultAttemptTimeout;

    /// <summary>How long a call may take over all its attempts.</summary>
    public TimeSpan TotalTimeout { get; set; } = DefaultTotalTimeout;

    /// <summary>
    /// Retries after a failed attempt. Only calls that are safe to repeat are retried: payments (keyed by order id),
    /// cancellations (keyed by cancel id) and look-ups; a card registration is not.
    /// </summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>How far a webhook's timestamp may be from the platform's clock before it is refused as stale.</summary>
    public TimeSpan WebhookTolerance { get; set; } = DefaultWebhookTolerance;
}

public sealed class PaymentGatewayOptionsValidator : IValidateOptions<PaymentGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentGatewayOptions options)
    {
        var failures = new List<string>();
        var section = PaymentGatewayOptions.SectionName;
        if (options.GatewayUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
            failures.Add($"{section}:{nameof(options.GatewayUrl)} must be an absolute http or https address.");
        if (string.IsNullOrWhiteSpace(options.GatewaySecretKey))
            failures.Add($"{section}:{nameof(options.GatewaySecretKey)} must not be empty.");
        if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            failures.Add($"{section}:{nameof(options.WebhookSecret)} must not be empty.");
        if (options.AttemptTimeout <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.AttemptTimeout)} must be positive.");
        if (options.TotalTimeout < options.AttemptTimeout)
            failures.Add($"{section}:{nameof(options.TotalTimeout)} must be at least {section}:{nameof(options.AttemptTimeout)}.");
        if (options.MaxRetries is < 0 or > 10)
            failures.Add($"{section}:{nameof(options.MaxRetries)} must be 0 to 10.");
        if (options.WebhookTolerance <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.WebhookTolerance)} must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
