namespace AdWallet.GatewaySimulator.Contracts;

// Every field is nullable: a missing field is a validation failure (400 invalid_request) with its name, not a
// binding failure that says nothing.

internal sealed record BillingKeyRequest(string? CardNumber, string? Expiry);

internal sealed record CardRequest(string? Number, string? Expiry);

internal sealed record PaymentRequest(
    string? OrderId,
    long? Amount,
    string? Method,
    string? BillingKey,
    CardRequest? Card,
    string? Payer,
    Dictionary<string, string>? Metadata);

internal sealed record CancelRequest(string? CancelId, long? Amount, string? Reason);

/// <summary>The query of <c>GET /v1/payments</c>, as strings: each is parsed and checked by <see cref="Payments.PaymentQuery"/>.</summary>
internal sealed record PaymentQueryRequest(string? OrderId, string? OrderIdPrefix, string? From, string? To, string? After, string? Limit);

internal sealed record StandingFaultsRequest(int? LatencyMs, int? AnswerDelayMs, bool? DuplicateWebhooks, bool? DropWebhooks, int? WebhookDelayMs);

internal sealed record CaptureFaultsRequest(List<string>? Faults);
