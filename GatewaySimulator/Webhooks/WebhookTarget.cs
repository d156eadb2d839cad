using AdWallet.GatewaySimulator.Options;
using Microsoft.Extensions.Options;

namespace AdWallet.GatewaySimulator.Webhooks;

/// <summary>
/// Where webhooks go: <c>Simulator:WebhookUrl</c> at start, or a URL set while the simulator runs (an embedded host
/// knows its own address only once it listens). Until one is known, events wait in the outbox.
/// </summary>
public sealed class WebhookTarget
{
    private readonly OutboxSignal _signal;
    private Uri? _url;

    internal WebhookTarget(IOptions<SimulatorOptions> options, OutboxSignal signal)
    {
        _signal = signal;
        if (options.Value.WebhookUrl is { Length: > 0 } configured)
            _url = new Uri(configured, UriKind.Absolute);
    }

    public Uri? Url => Volatile.Read(ref _url);

    /// <summary>Sends every pending and later event to <paramref name="url"/>, starting now.</summary>
    public void SetUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!SimulatorOptionsValidator.IsHttpUrl(url.OriginalString))
            throw new ArgumentException($"A webhook URL must be an absolute http or https URL, not '{url}'.", nameof(url));
        Volatile.Write(ref _url, url);
        _signal.Wake();
    }
}
