namespace AdWallet.Grains.Wallets;

/// <summary>Free cash, paid cash and their sum. <see cref="Total"/> may be negative: spend that arrived after the cash ran out.</summary>
public sealed record BalanceView(long Free, long Paid, long Total);

public sealed record WalletView(
    string Id,
    string Name,
    string Kind,
    string MasterId,
    IReadOnlyList<string> MemberIds,
    string? BusinessRegistrationNumber,
    string? TaxInvoiceEmail,
    BalanceView Balance,
    IReadOnlyList<CardView> Cards,
    AutoPayView AutoPay,
    DateTimeOffset CreatedAt);

public sealed record CardView(string Id, string Last4, string Kind, string Role, int Order);

public sealed record AutoPayView(bool Enabled, long? DailyLimit);

/// <param name="Status"><c>pending</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Code">Why a charge failed or is pending; null when it succeeded.</param>
public sealed record ChargeView(
    string Id,
    string Status,
    long Amount,
    string Method,
    string? CardId,
    BalanceView Balance,
    long RefundedAmount,
    string? Code,
    DateTimeOffset CreatedAt);

public sealed record RefundView(string Id, string ChargeId, long Amount, BalanceView Balance, DateTimeOffset CreatedAt);

public sealed record FreeCashGrantView(string Id, long Amount, DateTimeOffset ExpiresAt, BalanceView Balance);

/// <summary>A ledger entry. <see cref="Amount"/> is signed: credits positive, debits negative.</summary>
public sealed record TransactionView(
    string Id,
    string Kind,
    long Amount,
    long Free,
    long Paid,
    BalanceView BalanceAfter,
    string Reference,
    DateTimeOffset CreatedAt);

public sealed record AutoPayAttemptView(string Id, string CardId, long Amount, string Status, string? Code, DateTimeOffset CreatedAt);
