namespace AdWallet.Grains.Payments;

/// <summary>
/// The payment gateway: card, pay-money, phone and gift-card payments. Captures are idempotent on
/// <see cref="PaymentRequest.Reference"/>: asking again for a reference already captured returns that capture.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Registers a card and returns a token for it; the wallet never keeps the number.</summary>
    Task<CardRegistration> RegisterCardAsync(string number, string expiry, CancellationToken cancellationToken = default);

    /// <summary>Captures a payment. Throws <see cref="PaymentGatewayTimeoutException"/> when the outcome is unknown.</summary>
    Task<CaptureResult> CaptureAsync(PaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every capture made for a reference, oldest first: how reconciliation learns what really happened.</summary>
    Task<IReadOnlyList<Capture>> FindCapturesAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// Captures whose reference starts with <paramref name="referencePrefix"/>, oldest first, made after the capture
    /// <paramref name="afterCaptureId"/> (from the start when null): how reconciliation finds payments captured for a
    /// merchant account that it was never told about.
    /// </summary>
    Task<IReadOnlyList<Capture>> ListCapturesAsync(string referencePrefix, string? afterCaptureId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Captures approved in [<paramref name="from"/>, <paramref name="to"/>), oldest first, after the capture
    /// <paramref name="afterCaptureId"/>: what the operators' reconciliation report compares with the ledgers.
    /// </summary>
    Task<IReadOnlyList<Capture>> ListCapturesAsync(DateTimeOffset from, DateTimeOffset to, string? afterCaptureId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Refunds part or all of a capture to its original method. Idempotent on <paramref name="refundReference"/>.</summary>
    Task RefundAsync(string captureId, long amount, string refundReference, string reason, CancellationToken cancellationToken = default);
}

/// <param name="Reference">The merchant's reference for this payment: one per charge, never reused.</param>
/// <param name="CardToken">A registered card, for <c>card</c> payments.</param>
/// <param name="CardNumber">A card given only for this payment.</param>
/// <param name="Metadata">The merchant's own fields, kept with the capture and returned with it.</param>
public sealed record PaymentRequest(
    string Reference,
    long Amount,
    string Method,
    string? CardToken = null,
    string? CardNumber = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>A captured payment, or why the gateway declined it.</summary>
public sealed record CaptureResult(string? CaptureId, string? DeclineCode)
{
    public bool Succeeded => CaptureId is not null;

    public static CaptureResult Captured(string captureId) => new(captureId, null);

    public static CaptureResult Declined(string code) => new(null, code);
}

public sealed record Capture(
    string CaptureId,
    string Reference,
    long Amount,
    long RefundedAmount,
    IReadOnlyDictionary<string, string>? Metadata = null,
    DateTimeOffset ApprovedAt = default);

/// <summary>A registered card, or why registration failed.</summary>
public sealed record CardRegistration(string? Token, string? DeclineCode);

/// <summary>The gateway did not answer in time, or failed while answering: the payment may or may not have been captured.</summary>
public sealed class PaymentGatewayTimeoutException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>The gateway could not be reached at all: no request got to it, so nothing was captured or refunded.</summary>
public sealed class PaymentGatewayUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
