namespace AdWallet.GatewaySimulator.Contracts;

internal sealed record BillingKeyResponse(string BillingKey, string Brand, string Last4, string Expiry);

internal sealed record CardView(string Brand, string Last4);

internal sealed record CancelView(string CancelId, long Amount, string Reason, DateTimeOffset CancelledAt);

/// <summary>A payment as the gateway shows it: in answers, look-ups and webhook <c>data</c>.</summary>
internal sealed record PaymentView(
    string PaymentKey,
    string OrderId,
    long Amount,
    long CancelledAmount,
    string Method,
    string Status,
    DateTimeOffset ApprovedAt,
    CardView? Card,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<CancelView> Cancels);

internal sealed record PaymentsByOrderResponse(IReadOnlyList<PaymentView> Payments);

internal sealed record PaymentPageResponse(IReadOnlyList<PaymentView> Payments, string? Next);

internal sealed record WebhookEvent(string EventId, string Type, DateTimeOffset CreatedAt, PaymentView Data);

internal sealed record StatsResponse(long Payments, long Cancels, long WebhooksPending, long WebhooksDelivered, int Held);
