namespace AdWallet.GatewaySimulator.Options;

/// <summary>The section <c>Simulator</c>; see docs/gateway.md for what each key means.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    public const string DefaultDataPath = "./data";

    public const string DefaultFileName = "gateway.db";

    public const string DefaultSecretKey = "sim_secret_key";

    public const string DefaultWebhookSecret = "sim_webhook_secret";

    public string DataPath { get; set; } = DefaultDataPath;

    public string FileName { get; set; } = DefaultFileName;

    public string SecretKey { get; set; } = DefaultSecretKey;

    /// <summary>A string rather than a <see cref="Uri"/>: the validator names the key of a bad value, the binder would not.</summary>
    public string? WebhookUrl { get; set; }

    public string WebhookSecret { get; set; } = DefaultWebhookSecret;

    public WebhookDeliveryOptions Webhooks { get; set; } = new();

    public AdminOptions Admin { get; set; } = new();

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataPath, FileName));
}

/// <summary>The section <c>Simulator:Webhooks</c>: how redeliveries back off.</summary>
public sealed class WebhookDeliveryOptions
{
    public static readonly TimeSpan DefaultFirstRetryDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromMinutes(5);

    public TimeSpan FirstRetryDelay { get; set; } = DefaultFirstRetryDelay;

    public TimeSpan MaxRetryDelay { get; set; } = DefaultMaxRetryDelay;
}

/// <summary>The section <c>Simulator:Admin</c>: fault injection, for tests and fault runs only.</summary>
public sealed class AdminOptions
{
    public bool Enabled { get; set; }
}
