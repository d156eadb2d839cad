using Granary;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// A prepaid wallet: its members, its balance of free and paid cash with the ledger behind it, its cards and its
/// auto-pay settings. Every money-moving call takes an idempotency key; every call says who asks.
/// </summary>
public interface IWalletGrain : IGrainWithStringKey
{
    Task<WalletView> Create(Caller caller, CreateWallet command);

    Task<WalletView> Get(Caller caller);

    Task<WalletView> Update(Caller caller, UpdateWallet command);

    Task<WalletView> AddMember(Caller caller, string userId);

    Task RemoveMember(Caller caller, string userId);

    /// <summary>A top-up through the payment gateway. A declined payment is an answer, not an exception: status <c>failed</c> with a code.</summary>
    Task<Idempotent<ChargeView>> Charge(Caller caller, ChargeCommand command, IdempotencyKey idempotencyKey);

    Task<ChargeView> GetCharge(Caller caller, string chargeId);

    Task<Page<ChargeView>> ListCharges(Caller caller, PageRequest page);

    Task<Page<TransactionView>> ListTransactions(Caller caller, string? kind, PageRequest page);

    Task<Idempotent<RefundView>> Refund(Caller caller, RefundCommand command, IdempotencyKey idempotencyKey);

    /// <summary>Operators only: promotional cash, spent first, removed at its expiry.</summary>
    Task<Idempotent<FreeCashGrantView>> GrantFreeCash(Caller caller, GrantFreeCash command, IdempotencyKey idempotencyKey);

    Task<CardView> AddCard(Caller caller, AddCard command);

    Task<WalletView> MakeCardPrimary(Caller caller, string cardId);

    Task RemoveCard(Caller caller, string cardId);

    Task<WalletView> SetAutoPay(Caller caller, AutoPaySettings settings);

    Task<Page<AutoPayAttemptView>> ListAutoPayAttempts(Caller caller, PageRequest page);

    /// <summary>Called by a channel grain: the wallet master connects this wallet to the channel.</summary>
    Task ConnectChannel(Caller caller, string channelId);

    /// <summary>Called by a channel grain when it connects another wallet.</summary>
    Task DisconnectChannel(string channelId);

    /// <summary>
    /// Called by a new ad account on behalf of its creator, who must be the wallet's master or a member: links the
    /// account, so that the wallet can turn it OFF and ON, and answers whether it may spend now.
    /// </summary>
    Task<AdAccounts.FundingStatus> AttachAdAccount(Caller caller, string adAccountId);

    /// <summary>
    /// Called by a campaign: takes its accrued spend from the wallet, free cash first. Idempotent per campaign and
    /// sequence, so a settlement retried after a crash is taken once.
    /// </summary>
    Task<SpendSettled> SettleSpend(SpendSettlement settlement);
}
