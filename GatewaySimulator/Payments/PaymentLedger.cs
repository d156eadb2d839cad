using System.Text.Json;
using AdWallet.GatewaySimulator.Contracts;
using AdWallet.GatewaySimulator.Problems;
using AdWallet.GatewaySimulator.Storage;
using AdWallet.GatewaySimulator.Webhooks;
using Microsoft.Data.Sqlite;

namespace AdWallet.GatewaySimulator.Payments;

/// <summary>A payment as a capture answers it: <paramref name="IsNew"/> is false when the order id had been captured before.</summary>
internal sealed record Capture(PaymentView Payment, bool IsNew);

/// <summary>
/// Billing keys, payments and cancels. Each change runs in one serialized write transaction with the webhook event it
/// makes, so an event exists exactly when its change does; the dispatcher is woken once the transaction commits.
/// </summary>
internal sealed partial class PaymentLedger(GatewayDatabase database, WebhookOutbox outbox, TimeProvider time, ILogger<PaymentLedger> logger)
{
    public async Task<Outcome<BillingKeyResponse>> RegisterAsync(string cardNumber, string expiry, CancellationToken cancellationToken)
    {
        var card = TestCards.For(cardNumber);
        var brand = TestCards.Brand(cardNumber);
        var last4 = TestCards.Last4(cardNumber);
        if (card.AtRegistration is { } decline)
        {
            LogRegistrationDeclined(logger, brand, last4, decline);
            return GatewayProblems.Declined(decline);
        }
        var billingKey = Ids.New("bk");
        await database.WriteAsync(
            connection => connection.Execute(
                "INSERT INTO billing_keys (billing_key, behaviour, brand, last4, expiry, created_at_ms) VALUES ($key, $behaviour, $brand, $last4, $expiry, $at)",
                ("$key", billingKey), ("$behaviour", card.AtPayment), ("$brand", brand), ("$last4", last4), ("$expiry", expiry),
                ("$at", time.GetUtcNow().ToUnixTimeMilliseconds())),
            cancellationToken);
        LogRegistered(logger, billingKey, brand, last4);
        return new BillingKeyResponse(billingKey, brand, last4, expiry);
    }

    /// <summary>
    /// The first payment of the order id, captured now unless it was before. <paramref name="twice"/> (the
    /// duplicate_capture fault) captures a new order twice, under two payment keys.
    /// </summary>
    public async Task<Outcome<Capture>> CaptureAsync(PaymentOrder order, bool twice, CancellationToken cancellationToken)
    {
        var outcome = await database.WriteAsync(connection => CaptureIn(connection, order, twice), cancellationToken);
        if (outcome.Value is { IsNew: true } capture)
        {
            outbox.Wake();
            LogCaptured(logger, capture.Payment.PaymentKey, order.OrderId, order.Amount, order.Method, capture.Payment.Card?.Last4);
        }
        else if (outcome.Problem is { } problem)
        {
            LogPaymentDeclined(logger, order.OrderId, problem.Code);
        }
        return outcome;
    }

    public async Task<Outcome<PaymentView>> CancelAsync(string paymentKey, CancelOrder cancel, CancellationToken cancellationToken)
    {
        var (outcome, isNew) = await database.WriteAsync(connection => CancelIn(connection, paymentKey, cancel), cancellationToken);
        if (isNew)
        {
            outbox.Wake();
            LogCancelled(logger, cancel.CancelId, paymentKey, outcome.Value!.CancelledAmount);
        }
        return outcome;
    }

    public List<PaymentView> ByOrderId(string orderId) => database.Read(connection => PaymentRows.ByOrderId(connection, orderId));

    public Outcome<PaymentPageResponse> Page(PaymentQuery query) => database.Read<Outcome<PaymentPageResponse>>(connection =>
    {
        var afterSequence = 0L;
        if (query.After is { } after)
        {
            if (PaymentRows.SequenceOf(connection, after) is not { } sequence)
                return GatewayProblems.InvalidRequest($"after names no payment: '{after}'.");
            afterSequence = sequence;
        }
        // One more than the page, to know whether another page follows without a second query.
        var rows = PaymentRows.Page(connection, query, afterSequence, query.Limit + 1);
        var page = rows.Take(query.Limit).ToList();
        return new PaymentPageResponse(page, rows.Count > query.Limit ? page[^1].PaymentKey : null);
    });

    public StatsResponse Stats(int held) => database.Read(connection => new StatsResponse(
        Payments: connection.ScalarLong("SELECT count(*) FROM payments"),
        Cancels: connection.ScalarLong("SELECT count(*) FROM cancels"),
        WebhooksPending: connection.ScalarLong("SELECT count(*) FROM webhook_outbox WHERE delivered = 0"),
        WebhooksDelivered: connection.ScalarLong("SELECT count(*) FROM webhook_outbox WHERE delivered = 1"),
        Held: held));

    private Outcome<Capture> CaptureIn(SqliteConnection connection, PaymentOrder order, bool twice)
    {
        // Inside the serialized write, so concurrent requests for one order id capture it once.
        if (PaymentRows.ByOrderId(connection, order.OrderId) is [var existing, ..])
            return new Capture(existing, IsNew: false);

        string behaviour, brand, last4;
        if (order.BillingKey is { } billingKey)
        {
            var keys = connection.Query(
                reader => (Behaviour: reader.GetString(0), Brand: reader.GetString(1), Last4: reader.GetString(2)),
                "SELECT behaviour, brand, last4 FROM billing_keys WHERE billing_key = $key",
                ("$key", billingKey));
            if (keys is not [var key])
                return GatewayProblems.InvalidRequest($"billingKey names no billing key: '{billingKey}'.");
            (behaviour, brand, last4) = key;
        }
        else if (order.CardNumber is { } number)
        {
            (behaviour, brand, last4) = (TestCards.For(number).AtPayment, TestCards.Brand(number), TestCards.Last4(number));
        }
        else
        {
            (behaviour, brand, last4) = (Payers.Behaviour(order.Payer), "", "");
        }
        if (DeclineCodes.AsDecline(behaviour) is { } decline)
            return GatewayProblems.Declined(decline);

        var isCard = order.Method == PaymentOrder.Card;
        var first = Insert(connection, order, isCard ? brand : null, isCard ? last4 : null);
        if (twice)
            Insert(connection, order, isCard ? brand : null, isCard ? last4 : null);
        return new Capture(first, IsNew: true);
    }

    private PaymentView Insert(SqliteConnection connection, PaymentOrder order, string? brand, string? last4)
    {
        var paymentKey = Ids.New("pay");
        // Milliseconds, as stored: the answer and every later look-up show the same time.
        var approvedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        connection.Execute(
            """
            INSERT INTO payments (payment_key, order_id, amount, method, approved_at_ms, card_brand, card_last4, metadata_json)
            VALUES ($key, $orderId, $amount, $method, $at, $brand, $last4, $metadata)
            """,
            ("$key", paymentKey), ("$orderId", order.OrderId), ("$amount", order.Amount), ("$method", order.Method), ("$at", approvedAt),
            ("$brand", brand), ("$last4", last4), ("$metadata", JsonSerializer.Serialize(order.Metadata)));
        var payment = PaymentRows.Inserted(paymentKey, order, approvedAt, brand, last4);
        outbox.Add(connection, WebhookOutbox.PaymentCaptured, payment);
        return payment;
    }

    private (Outcome<PaymentView> Outcome, bool IsNew) CancelIn(SqliteConnection connection, string paymentKey, CancelOrder cancel)
    {
        if (PaymentRows.ByKey(connection, paymentKey) is not { } payment)
            return (GatewayProblems.PaymentNotFound(paymentKey), false);
        if (payment.Cancels.FirstOrDefault(c => c.CancelId == cancel.CancelId) is { } earlier)
        {
            // The same cancel again answers the payment; an omitted amount matches whatever the first one cancelled.
            return cancel.Amount is null || cancel.Amount == earlier.Amount
                ? (payment, false)
                : (GatewayProblems.IdempotencyConflict(cancel.CancelId), false);
        }
        if (connection.ScalarLong("SELECT count(*) FROM cancels WHERE cancel_id = $id", ("$id", cancel.CancelId)) > 0)
            return (GatewayProblems.IdempotencyConflict(cancel.CancelId), false);

        var remaining = payment.Amount - payment.CancelledAmount;
        var amount = cancel.Amount ?? remaining;
        if (amount > remaining || amount == 0)
            return (GatewayProblems.CancelAmountExceeded(amount, remaining), false);

        connection.Execute(
            "INSERT INTO cancels (cancel_id, payment_key, amount, reason, cancelled_at_ms) VALUES ($id, $key, $amount, $reason, $at)",
            ("$id", cancel.CancelId), ("$key", paymentKey), ("$amount", amount), ("$reason", cancel.Reason),
            ("$at", time.GetUtcNow().ToUnixTimeMilliseconds()));
        connection.Execute(
            "UPDATE payments SET cancelled_amount = cancelled_amount + $amount WHERE payment_key = $key",
            ("$amount", amount), ("$key", paymentKey));
        var cancelled = PaymentRows.ByKey(connection, paymentKey)!;
        outbox.Add(connection, WebhookOutbox.PaymentCancelled, cancelled);
        return (cancelled, true);
    }

    // Card numbers never reach a log line: the brand and last four digits say which card it was.
    [LoggerMessage(Level = LogLevel.Information, Message = "Registered billing key {BillingKey} for a {Brand} card ending {Last4}.")]
    private static partial void LogRegistered(ILogger logger, string billingKey, string brand, string last4);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused to register a {Brand} card ending {Last4}: {Code}.")]
    private static partial void LogRegistrationDeclined(ILogger logger, string brand, string last4, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Captured payment {PaymentKey} for order {OrderId}: {Amount} won by {Method} (card ending {Last4}).")]
    private static partial void LogCaptured(ILogger logger, string paymentKey, string orderId, long amount, string method, string? last4);

    [LoggerMessage(Level = LogLevel.Information, Message = "Declined the payment for order {OrderId}: {Code}.")]
    private static partial void LogPaymentDeclined(ILogger logger, string orderId, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel {CancelId} of payment {PaymentKey}: {CancelledAmount} won cancelled in all.")]
    private static partial void LogCancelled(ILogger logger, string cancelId, string paymentKey, long cancelledAmount);
}
