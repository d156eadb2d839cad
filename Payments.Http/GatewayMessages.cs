using System.Text.Json.Serialization;

namespace AdWallet.Payments.Http;

// The gateway's JSON, as docs/gateway.md describes it: only the fields the platform reads or sends.

internal sealed record BillingKeyRequest(string CardNumber, string Expiry);

internal sealed record BillingKeyAnswer(string BillingKey, string Brand, string Last4, string Expiry);

internal sealed record PaymentCard(string Number, string? Expiry);

internal sealed record PaymentRequestMessage(
    string OrderId,
    long Amount,
    string Method,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BillingKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PaymentCard? Card,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Metadata);

internal sealed record PaymentMessage(
    string PaymentKey,
    string OrderId,
    long Amount,
    long CancelledAmount,
    DateTimeOffset ApprovedAt,
    Dictionary<string, string>? Metadata);

internal sealed record PaymentList(List<PaymentMessage> Payments, string? Next);

internal sealed record CancelRequestMessage(string CancelId, long Amount, string Reason);

internal sealed record GatewayProblem(string? Code, string? Detail);

/// <summary>A webhook's body: <c>payment.captured</c> or <c>payment.cancelled</c>, and the payment it is about.</summary>
public sealed record PaymentWebhook(string EventId, string Type, DateTimeOffset CreatedAt, PaymentWebhookPayment Data);

public sealed record PaymentWebhookPayment(string PaymentKey, string OrderId, long Amount, long CancelledAmount);
