using Orleans;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// A prepaid wallet: its members, its balance of free and paid cash with the ledger behind it, its cards and its
/// auto-pay settings. Every money-moving call takes an idempotency key; every call says who asks.
/// </summary>
[Alias("adwallet.IWalletGrain")]
public interface IWalletGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<WalletView> Create(Caller caller, CreateWallet command);

    [Alias("Get")]
    Task<WalletView> Get(Caller caller);

    [Alias("Update")]
    Task<WalletView> Update(Caller caller, UpdateWallet command);

    [Alias("AddMember")]
    Task<WalletView> AddMember(Caller caller, string userId);

    [Alias("RemoveMember")]
    Task RemoveMember(Caller caller, string userId);

    /// <summary>A top-up through the payment gateway. A declined payment is an answer, not an exception: status <c>failed</c> with a code.</summary>
    [Alias("Charge")]
    Task<Idempotent<ChargeView>> Charge(Caller caller, ChargeCommand command, IdempotencyKey idempotencyKey);

    [Alias("GetCharge")]
    Task<ChargeView> GetCharge(Caller caller, string chargeId);

    [Alias("ListCharges")]
    Task<Page<ChargeView>> ListCharges(Caller caller, PageRequest page);

    [Alias("ListTransactions")]
    Task<Page<TransactionView>> ListTransactions(Caller caller, string? kind, PageRequest page);

    [Alias("Refund")]
    Task<Idempotent<RefundView>> Refund(Caller caller, RefundCommand command, IdempotencyKey idempotencyKey);

    /// <summary>Operators only: promotional cash, spent first, removed at its expiry.</summary>
    [Alias("GrantFreeCash")]
    Task<Idempotent<FreeCashGrantView>> GrantFreeCash(Caller caller, GrantFreeCash command, IdempotencyKey idempotencyKey);

    [Alias("AddCard")]
    Task<CardView> AddCard(Caller caller, AddCard command);

    [Alias("MakeCardPrimary")]
    Task<WalletView> MakeCardPrimary(Caller caller, string cardId);

    [Alias("RemoveCard")]
    Task RemoveCard(Caller caller, string cardId);

    [Alias("SetAutoPay")]
    Task<WalletView> SetAutoPay(Caller caller, AutoPaySettings settings);

    [Alias("ListAutoPayAttempts")]
    Task<Page<AutoPayAttemptView>> ListAutoPayAttempts(Caller caller, PageRequest page);

    /// <summary>
    /// Called by a channel grain: the wallet master connects this wallet to the channel. A business wallet goes to a
    /// business channel only; a null <paramref name="channelType"/> (a caller of the first contract) is business.
    /// </summary>
    [Alias("ConnectChannel")]
    Task ConnectChannel(Caller caller, string channelId, string? channelType = null);

    /// <summary>
    /// Called for a business-information request: the caller must be the wallet master (its members and managing
    /// admins are forbidden); answers the wallet's kind.
    /// </summary>
    [Alias("RequireBusinessInfoRequester")]
    Task<string> RequireBusinessInfoRequester(Caller caller);

    /// <summary>
    /// Called when an operator approves a business-information request: applies request <paramref name="number"/> once,
    /// and never one older than the last applied, so an approval repeated after a newer one changes nothing.
    /// </summary>
    [Alias("ApplyBusinessInfo")]
    Task ApplyBusinessInfo(long number, BusinessInfo.BusinessInfoChange change);

    /// <summary>Called by a channel grain when it connects another wallet.</summary>
    [Alias("DisconnectChannel")]
    Task DisconnectChannel(string channelId);

    /// <summary>
    /// Called by a new ad account on behalf of its creator, who must be the wallet's master or a member: links the
    /// account, so that the wallet can turn it OFF and ON, and answers whether it may spend now.
    /// </summary>
    [Alias("AttachAdAccount")]
    Task<AdAccounts.FundingStatus> AttachAdAccount(Caller caller, string adAccountId);

    /// <summary>
    /// Called by a campaign: takes its accrued spend from the wallet, free cash first. Idempotent per campaign and
    /// sequence, so a settlement retried after a crash is taken once.
    /// </summary>
    [Alias("SettleSpend")]
    Task<SpendSettled> SettleSpend(SpendSettlement settlement);

    /// <summary>
    /// Called for a webhook of the payment gateway about one of this wallet's payments: the wallet asks the gateway what
    /// became of that payment and settles it (credits a capture once, refunds a duplicate, completes a refund). Any
    /// number of calls, in any order, settle it once.
    /// </summary>
    [Alias("ReconcilePayment")]
    Task ReconcilePayment(string reference);

    /// <summary>
    /// Operators' reconciliation: what this wallet's ledger holds for each of these gateway captures (their charge
    /// ids are the part of the payment reference after the wallet's id).
    /// </summary>
    [Alias("GetPaymentLedger")]
    Task<IReadOnlyList<PaymentLedgerView>> GetPaymentLedger(IReadOnlyList<CaptureRef> captures);
}
