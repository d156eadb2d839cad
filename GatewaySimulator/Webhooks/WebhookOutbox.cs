using System.Text.Json;
using AdWallet.GatewaySimulator.Contracts;
using AdWallet.GatewaySimulator.Payments;
using AdWallet.GatewaySimulator.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AdWallet.GatewaySimulator.Webhooks;

/// <summary>An event waiting for delivery: its body is fixed when it is made, so <c>data</c> is the payment as it was then.</summary>
internal sealed record OutboxEntry(string EventId, string Body, int Attempts);

/// <summary>
/// The durable webhook outbox. Events are added inside the write that makes them; delivery attempts are scheduled in
/// real time (<see cref="TimeProvider.System"/>), since backoff is about the receiver, not the simulated clock.
/// </summary>
internal sealed class WebhookOutbox(GatewayDatabase database, OutboxSignal signal, TimeProvider time, IOptions<HttpJsonOptions> json)
{
    public const string PaymentCaptured = "payment.captured";
    public const string PaymentCancelled = "payment.cancelled";

    private static readonly TimeProvider RealTime = TimeProvider.System;

    /// <summary>Adds an event in the caller's transaction; call <see cref="Wake"/> once it commits.</summary>
    public void Add(SqliteConnection connection, string type, PaymentView payment)
    {
        var created = new WebhookEvent(Ids.New("evt"), type, time.GetUtcNow(), payment);
        connection.Execute(
            "INSERT INTO webhook_outbox (event_id, body, next_attempt_at_ms) VALUES ($id, $body, $at)",
            ("$id", created.EventId), ("$body", JsonSerializer.Serialize(created, json.Value.SerializerOptions)),
            ("$at", RealTime.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    public void Wake() => signal.Wake();

    /// <summary>Undelivered events due now, oldest first, skipping those named in <paramref name="skip"/> (being delivered).</summary>
    public List<OutboxEntry> Due(int take, IReadOnlyCollection<string> skip) =>
        database.Read(connection => connection.Query(
                reader => new OutboxEntry(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)),
                "SELECT event_id, body, attempts FROM webhook_outbox WHERE delivered = 0 AND next_attempt_at_ms <= $now ORDER BY sequence LIMIT $take",
                ("$now", RealTime.GetUtcNow().ToUnixTimeMilliseconds()), ("$take", take + skip.Count)))
            .Where(entry => !skip.Contains(entry.EventId))
            .Take(take)
            .ToList();

    /// <summary>How long until the next undelivered event is due; null when none waits.</summary>
    public TimeSpan? UntilNextDue()
    {
        var next = database.Read(connection => connection.ScalarLong("SELECT min(next_attempt_at_ms) FROM webhook_outbox WHERE delivered = 0"));
        if (next == 0)
            return null;
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(next) - RealTime.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>
    /// Told the id of each event once it is settled (delivered, or dropped by a fault): how an in-process observer
    /// learns that an event will not come, which no receiver can see.
    /// </summary>
    internal event Action<string>? Settled;

    public async Task MarkDeliveredAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        await database.WriteAsync(
            connection => connection.Execute(
                "UPDATE webhook_outbox SET delivered = 1, attempts = $attempts WHERE event_id = $id",
                ("$attempts", entry.Attempts + 1), ("$id", entry.EventId)),
            cancellationToken);
        Settled?.Invoke(entry.EventId);
    }

    public Task RescheduleAsync(OutboxEntry entry, TimeSpan delay, CancellationToken cancellationToken) =>
        database.WriteAsync(
            connection => connection.Execute(
                "UPDATE webhook_outbox SET attempts = $attempts, next_attempt_at_ms = $at WHERE event_id = $id",
                ("$attempts", entry.Attempts + 1), ("$at", (RealTime.GetUtcNow() + delay).ToUnixTimeMilliseconds()), ("$id", entry.EventId)),
            cancellationToken);
}
