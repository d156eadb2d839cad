using System.Collections.Concurrent;
using System.Net.Mime;
using System.Text;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.GatewaySimulator.Options;
using Microsoft.Extensions.Options;

namespace AdWallet.GatewaySimulator.Webhooks;

/// <summary>
/// Delivers the outbox: a few events at once (so they may arrive out of order), each until the receiver answers 2xx,
/// with a delay that starts at <c>FirstRetryDelay</c> and doubles up to <c>MaxRetryDelay</c>. Woken at once by a new
/// event; waits while no webhook URL is known.
/// </summary>
internal sealed partial class WebhookDispatcher(
    WebhookOutbox outbox,
    OutboxSignal signal,
    WebhookTarget target,
    WebhookTransport transport,
    GatewayFaults faults,
    TimeProvider time,
    IOptions<SimulatorOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>Deliveries in flight at once.</summary>
    public const int Concurrency = 4;

    /// <summary>The longest sleep with nothing due: a safety net, since every change wakes the dispatcher anyway.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Task> _inFlight = new();
    private readonly SimulatorOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
                await signal.WaitAsync(DispatchDue(stoppingToken), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // An event cut off by the stop is not marked: it is delivered again after the next start.
        await Task.WhenAll(_inFlight.Values);
    }

    /// <summary>Starts deliveries of what is due, as slots allow; answers how long to sleep unless woken.</summary>
    private TimeSpan DispatchDue(CancellationToken stoppingToken)
    {
        if (target.Url is not { } url)
            return IdleWait;
        var free = Concurrency - _inFlight.Count;
        if (free <= 0)
            return IdleWait;
        foreach (var entry in outbox.Due(free, [.. _inFlight.Keys]))
        {
            var delivery = new TaskCompletionSource();
            _inFlight[entry.EventId] = delivery.Task;
            _ = DeliverAsync(entry, url, stoppingToken).ContinueWith(
                _ =>
                {
                    _inFlight.TryRemove(entry.EventId, out var _);
                    delivery.SetResult();
                    signal.Wake();
                },
                TaskScheduler.Default);
        }
        return _inFlight.Count >= Concurrency ? IdleWait : outbox.UntilNextDue() is { } wait && wait < IdleWait ? wait : IdleWait;
    }

    private async Task DeliverAsync(OutboxEntry entry, Uri url, CancellationToken stoppingToken)
    {
        try
        {
            var standing = faults.Standing;
            if (standing.DropWebhooks)
            {
                LogDropped(logger, entry.EventId);
                await outbox.MarkDeliveredAsync(entry, stoppingToken);
                return;
            }
            if (standing.WebhookDelayMs > 0)
                await Task.Delay(standing.WebhookDelayMs, stoppingToken);
            if (await SendAsync(entry, url, stoppingToken))
            {
                if (standing.DuplicateWebhooks)
                    await SendAsync(entry, url, stoppingToken);
                await outbox.MarkDeliveredAsync(entry, stoppingToken);
                return;
            }
            var delay = RetryDelay(entry.Attempts + 1);
            await outbox.RescheduleAsync(entry, delay, stoppingToken);
            LogRetrying(logger, entry.EventId, entry.Attempts + 1, delay);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A delivery that cannot even be rescheduled stays due; the dispatcher tries it again on its next round.
            LogFailed(logger, exception, entry.EventId);
        }
    }

    private async Task<bool> SendAsync(OutboxEntry entry, Uri url, CancellationToken stoppingToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(entry.Body, Encoding.UTF8, MediaTypeNames.Application.Json),
        };
        request.Headers.Add(WebhookSigner.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(_options.WebhookSecret, timestamp, entry.Body));
        try
        {
            using var response = await transport.Client.SendAsync(request, stoppingToken);
            if (response.IsSuccessStatusCode)
                return true;
            LogRefused(logger, entry.EventId, (int)response.StatusCode);
            return false;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            LogUnreachable(logger, entry.EventId, exception.Message);
            return false;
        }
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed delivery: doubling from the first, capped.</summary>
    internal TimeSpan RetryDelay(int attempts)
    {
        var first = _options.Webhooks.FirstRetryDelay;
        var max = _options.Webhooks.MaxRetryDelay;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        return first.TotalMilliseconds * factor >= max.TotalMilliseconds ? max : first * factor;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped webhook {EventId} (the dropWebhooks fault).")]
    private static partial void LogDropped(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {EventId} failed delivery {Attempts}; trying again in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, string eventId, int attempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "The receiver answered webhook {EventId} with {Status}.")]
    private static partial void LogRefused(ILogger logger, string eventId, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "The receiver of webhook {EventId} could not be reached: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string eventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {EventId} could not be delivered or rescheduled.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string eventId);
}
