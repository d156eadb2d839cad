using System.Text.Json.Serialization;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// What happened to a wallet. The wallet's journal is these events; its state is their projection
/// (<see cref="WalletState.Apply"/>). Events that move money carry a <see cref="Posting"/> and are the ledger.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(WalletCreated), "wallet_created")]
[JsonDerivedType(typeof(WalletRenamed), "wallet_renamed")]
[JsonDerivedType(typeof(TaxInvoiceEmailChanged), "tax_invoice_email_changed")]
[JsonDerivedType(typeof(MemberAdded), "member_added")]
[JsonDerivedType(typeof(MemberRemoved), "member_removed")]
[JsonDerivedType(typeof(ChannelConnected), "channel_connected")]
[JsonDerivedType(typeof(ChannelDisconnected), "channel_disconnected")]
[JsonDerivedType(typeof(CardAdded), "card_added")]
[JsonDerivedType(typeof(CardMadePrimary), "card_made_primary")]
[JsonDerivedType(typeof(CardRemoved), "card_removed")]
[JsonDerivedType(typeof(AutoPayChanged), "auto_pay_changed")]
[JsonDerivedType(typeof(ChargeStarted), "charge_started")]
[JsonDerivedType(typeof(ChargeSucceeded), "charge_succeeded")]
[JsonDerivedType(typeof(ChargeFailed), "charge_failed")]
[JsonDerivedType(typeof(ChargeCaptured), "charge_captured")]
[JsonDerivedType(typeof(ChargesVerified), "charges_verified")]
[JsonDerivedType(typeof(CapturesReconciled), "captures_reconciled")]
[JsonDerivedType(typeof(DuplicateCaptureRefunded), "duplicate_capture_refunded")]
[JsonDerivedType(typeof(RefundIssued), "refund_issued")]
[JsonDerivedType(typeof(RefundSettled), "refund_settled")]
[JsonDerivedType(typeof(FreeCashGranted), "free_cash_granted")]
[JsonDerivedType(typeof(FreeCashExpired), "free_cash_expired")]
[JsonDerivedType(typeof(AdAccountAttached), "ad_account_attached")]
[JsonDerivedType(typeof(SpendTaken), "spend_taken")]
[JsonDerivedType(typeof(FundingChanged), "funding_changed")]
[JsonDerivedType(typeof(AutoPayAttempted), "auto_pay_attempted")]
[JsonDerivedType(typeof(AutoPayExhausted), "auto_pay_exhausted")]
[JsonDerivedType(typeof(DailyLimitReached), "daily_limit_reached")]
[JsonDerivedType(typeof(BusinessInfoChanged), "business_info_changed")]
public abstract record WalletEvent(DateTimeOffset At);

/// <summary>A change of balance: the ledger line of a money event. <c>Amount = Free + Paid</c>, signed.</summary>
public sealed record Posting(string Kind, long Amount, long Free, long Paid, long FreeAfter, long PaidAfter, string Reference);

/// <summary>An event that moves money.</summary>
public interface IPostingEvent
{
    Posting Posting { get; }
}

/// <summary>An event that answers a request with an idempotency key.</summary>
public interface IIdempotentEvent
{
    string IdempotencyScope { get; }

    string RequestHash { get; }
}

public sealed record WalletCreated(DateTimeOffset At, string Name, string Kind, string MasterId, string? BusinessRegistrationNumber, string? TaxInvoiceEmail)
    : WalletEvent(At);

public sealed record WalletRenamed(DateTimeOffset At, string Name) : WalletEvent(At);

/// <summary>An operator approved business-information request <paramref name="RequestNumber"/>; null fields stay as they were.</summary>
public sealed record BusinessInfoChanged(DateTimeOffset At, long RequestNumber, string? BusinessRegistrationNumber, string? BusinessName) : WalletEvent(At);

public sealed record TaxInvoiceEmailChanged(DateTimeOffset At, string? Email) : WalletEvent(At);

public sealed record MemberAdded(DateTimeOffset At, string UserId) : WalletEvent(At);

public sealed record MemberRemoved(DateTimeOffset At, string UserId) : WalletEvent(At);

public sealed record ChannelConnected(DateTimeOffset At, string ChannelId) : WalletEvent(At);

public sealed record ChannelDisconnected(DateTimeOffset At, string ChannelId) : WalletEvent(At);

public sealed record CardAdded(DateTimeOffset At, string CardId, string Last4, string Kind, string Token) : WalletEvent(At);

public sealed record CardMadePrimary(DateTimeOffset At, string CardId) : WalletEvent(At);

public sealed record CardRemoved(DateTimeOffset At, string CardId) : WalletEvent(At);

public sealed record AutoPayChanged(DateTimeOffset At, bool Enabled, long? DailyLimit) : WalletEvent(At);

/// <summary>
/// A charge whose outcome is not known yet: an auto-pay intent stored before the gateway is asked, or a top-up the
/// gateway did not answer. Reconciliation settles it.
/// </summary>
public sealed record ChargeStarted(
    DateTimeOffset At,
    string ChargeId,
    long Amount,
    string Method,
    string? CardId,
    string PaymentReference,
    string IdempotencyScope,
    string RequestHash) : WalletEvent(At), IIdempotentEvent;

public sealed record ChargeSucceeded(DateTimeOffset At, string ChargeId, string CaptureId, Posting Posting) : WalletEvent(At), IPostingEvent;

public sealed record ChargeFailed(DateTimeOffset At, string ChargeId, string Code) : WalletEvent(At);

/// <summary>
/// A top-up the gateway captured, credited in one event: the charge, its answer to the idempotency key and its ledger
/// line. Nothing is stored before the capture; a capture whose credit was lost is found by reconciliation among the
/// wallet's captures at the gateway.
/// </summary>
/// <remarks>
/// It is the event a hot wallet writes most, so it carries nothing that follows from the rest: the charge id follows
/// from the idempotency scope (which the gateway keeps with the capture), and the payment reference is the wallet's id
/// and the charge id.
/// </remarks>
public sealed record ChargeCaptured(
    DateTimeOffset At,
    string ChargeId,
    long Amount,
    string Method,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CardId,
    string RequestHash,
    string CaptureId,
    Posting Posting) : WalletEvent(At), IPostingEvent;

/// <summary>Reconciliation found no duplicate capture for these charges. Written by earlier versions; now a no-op.</summary>
public sealed record ChargesVerified(DateTimeOffset At, IReadOnlyList<string> ChargeIds) : WalletEvent(At);

/// <summary>
/// Reconciliation has checked the wallet's captures at the gateway up to <paramref name="Cursor"/> (a capture id),
/// and, when <paramref name="CreditsReconciled"/> moved on, every capture credited before it was counted.
/// </summary>
public sealed record CapturesReconciled(DateTimeOffset At, string? Cursor, long CreditsReconciled) : WalletEvent(At);

/// <summary>A second capture of a charge's payment was refunded to the payer; the wallet was never credited for it.</summary>
public sealed record DuplicateCaptureRefunded(DateTimeOffset At, string ChargeId, string CaptureId, long Amount) : WalletEvent(At);

/// <summary>Paid cash taken back from the wallet, before the gateway returns it to the payer.</summary>
public sealed record RefundIssued(
    DateTimeOffset At,
    string RefundId,
    string ChargeId,
    long Amount,
    string IdempotencyScope,
    string RequestHash,
    Posting Posting) : WalletEvent(At), IPostingEvent, IIdempotentEvent;

/// <summary>The gateway has returned a refund to the payer.</summary>
public sealed record RefundSettled(DateTimeOffset At, string RefundId) : WalletEvent(At);

public sealed record FreeCashGranted(
    DateTimeOffset At,
    string GrantId,
    long Amount,
    DateTimeOffset ExpiresAt,
    string IdempotencyScope,
    string RequestHash,
    Posting Posting) : WalletEvent(At), IPostingEvent, IIdempotentEvent;

public sealed record FreeCashExpired(DateTimeOffset At, string GrantId, Posting Posting) : WalletEvent(At), IPostingEvent;

public sealed record AdAccountAttached(DateTimeOffset At, string AdAccountId) : WalletEvent(At);

/// <summary>A campaign's accrued spend, taken free cash first. The balance may go negative: spend arrives after the fact.</summary>
public sealed record SpendTaken(DateTimeOffset At, string CampaignId, string AdAccountId, long Sequence, Posting Posting) : WalletEvent(At), IPostingEvent;

/// <summary>What the wallet now tells its ad accounts: they may spend, or not and why.</summary>
public sealed record FundingChanged(DateTimeOffset At, bool On, string? OffReason) : WalletEvent(At);

/// <param name="Status"><c>succeeded</c>, <c>failed</c> or <c>pending</c> (the gateway did not answer; reconciliation settles the charge).</param>
public sealed record AutoPayAttempted(
    DateTimeOffset At,
    string AttemptId,
    string ChargeId,
    string CardId,
    long Amount,
    string Status,
    string? Code,
    DateOnly BusinessDay) : WalletEvent(At);

/// <summary>Every card failed: the accounts go OFF until a retry or a manual charge brings the balance back.</summary>
public sealed record AutoPayExhausted(DateTimeOffset At) : WalletEvent(At);

/// <summary>Auto-pay reached its daily limit: the accounts stay OFF for the rest of that business day.</summary>
public sealed record DailyLimitReached(DateTimeOffset At, DateOnly BusinessDay) : WalletEvent(At);
