namespace AdWallet.GatewaySimulator.Faults;

/// <summary>Faults that stay until changed (<c>PUT /admin/faults</c>). Delays are in real time, not the simulated clock.</summary>
/// <param name="LatencyMs">Added before every <c>/v1</c> answer.</param>
/// <param name="AnswerDelayMs">How long <see cref="CaptureFault.AnswerAfterTimeout"/> holds its answer.</param>
/// <param name="DuplicateWebhooks">Every webhook is delivered twice.</param>
/// <param name="DropWebhooks">Webhooks are marked delivered without being sent.</param>
/// <param name="WebhookDelayMs">A wait before each delivery.</param>
public sealed record StandingFaults(
    int LatencyMs = 0,
    int AnswerDelayMs = 0,
    bool DuplicateWebhooks = false,
    bool DropWebhooks = false,
    int WebhookDelayMs = 0)
{
    /// <summary>The longest delay a fault may ask for: ten minutes.</summary>
    public const int MaxDelayMs = 600_000;

    public static readonly StandingFaults None = new();
}
