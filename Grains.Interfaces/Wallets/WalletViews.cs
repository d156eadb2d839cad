using Orleans;

namespace AdWallet.Grains.Wallets;

/// <summary>Free cash, paid cash and their sum. <see cref="Total"/> may be negative: spend that arrived after the cash ran out.</summary>
[GenerateSerializer, Alias("adwallet.BalanceView")]
public sealed record BalanceView([property: Id(0)] long Free, [property: Id(1)] long Paid, [property: Id(2)] long Total);

[GenerateSerializer, Alias("adwallet.WalletView")]
public sealed record WalletView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Kind,
    [property: Id(3)] string MasterId,
    [property: Id(4)] IReadOnlyList<string> MemberIds,
    [property: Id(5)] string? BusinessRegistrationNumber,
    [property: Id(6)] string? TaxInvoiceEmail,
    [property: Id(7)] BalanceView Balance,
    [property: Id(8)] IReadOnlyList<CardView> Cards,
    [property: Id(9)] AutoPayView AutoPay,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] string? BusinessName = null);

[GenerateSerializer, Alias("adwallet.CardView")]
public sealed record CardView([property: Id(0)] string Id, [property: Id(1)] string Last4, [property: Id(2)] string Kind, [property: Id(3)] string Role, [property: Id(4)] int Order);

[GenerateSerializer, Alias("adwallet.AutoPayView")]
public sealed record AutoPayView([property: Id(0)] bool Enabled, [property: Id(1)] long? DailyLimit);

/// <param name="Status"><c>pending</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Code">Why a charge failed or is pending; null when it succeeded.</param>
[GenerateSerializer, Alias("adwallet.ChargeView")]
public sealed record ChargeView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Method,
    [property: Id(4)] string? CardId,
    [property: Id(5)] BalanceView Balance,
    [property: Id(6)] long RefundedAmount,
    [property: Id(7)] string? Code,
    [property: Id(8)] DateTimeOffset CreatedAt);

[GenerateSerializer, Alias("adwallet.RefundView")]
public sealed record RefundView([property: Id(0)] string Id, [property: Id(1)] string ChargeId, [property: Id(2)] long Amount, [property: Id(3)] BalanceView Balance, [property: Id(4)] DateTimeOffset CreatedAt);

[GenerateSerializer, Alias("adwallet.FreeCashGrantView")]
public sealed record FreeCashGrantView([property: Id(0)] string Id, [property: Id(1)] long Amount, [property: Id(2)] DateTimeOffset ExpiresAt, [property: Id(3)] BalanceView Balance);

/// <summary>A ledger entry. <see cref="Amount"/> is signed: credits positive, debits negative.</summary>
[GenerateSerializer, Alias("adwallet.TransactionView")]
public sealed record TransactionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] long Amount,
    [property: Id(3)] long Free,
    [property: Id(4)] long Paid,
    [property: Id(5)] BalanceView BalanceAfter,
    [property: Id(6)] string Reference,
    [property: Id(7)] DateTimeOffset CreatedAt);

[GenerateSerializer, Alias("adwallet.AutoPayAttemptView")]
public sealed record AutoPayAttemptView([property: Id(0)] string Id, [property: Id(1)] string CardId, [property: Id(2)] long Amount, [property: Id(3)] string Status, [property: Id(4)] string? Code, [property: Id(5)] DateTimeOffset CreatedAt);

/// <summary>A capture at the gateway, as the operators' reconciliation names it to the wallet.</summary>
[GenerateSerializer, Alias("adwallet.CaptureRef")]
public sealed record CaptureRef([property: Id(0)] string CaptureId, [property: Id(1)] string ChargeId);

/// <summary>
/// What the ledger holds for one gateway capture: <paramref name="Net"/> is what the wallet was credited for it minus
/// what it refunded from it; zero for a capture the wallet was never credited for (a duplicate, or one still pending).
/// </summary>
[GenerateSerializer, Alias("adwallet.PaymentLedgerView")]
public sealed record PaymentLedgerView(
    [property: Id(0)] string CaptureId,
    [property: Id(1)] string ChargeId,
    [property: Id(2)] string? ChargeStatus,
    [property: Id(3)] long Net);
