namespace AdWallet.Grains.Wallets;

/// <summary>How wallet state is shown to callers.</summary>
internal static class WalletViewsMapping
{
    public static BalanceView Balance(long free, long paid) => new(free, paid, free + paid);

    public static WalletView ToView(this WalletState state, string walletId) => new(
        walletId,
        state.Name,
        state.Kind,
        state.MasterId,
        [.. state.MemberIds],
        state.BusinessRegistrationNumber,
        state.TaxInvoiceEmail,
        Balance(state.Free, state.Paid),
        [.. state.Cards.Select((card, i) => card.ToView(i))],
        new AutoPayView(state.AutoPayEnabled, state.DailyLimit),
        state.CreatedAt,
        state.BusinessName);

    public static CardView ToView(this CardRecord card, int index) =>
        new(card.Id, card.Last4, card.Kind, index == 0 ? "primary" : "backup", index);

    /// <summary>The charge as it is now.</summary>
    public static ChargeView ToView(this ChargeRecord charge) => new(
        charge.Id,
        charge.Status,
        charge.Amount,
        charge.Method,
        charge.CardId,
        Balance(charge.FreeAfter, charge.PaidAfter),
        charge.Refunded,
        charge.Status == ChargeStatus.Pending ? ErrorCodes.PaymentPending : charge.Code,
        charge.CreatedAt);

    /// <summary>The charge as its request was answered: nothing can have been refunded before the answer.</summary>
    public static ChargeView ToAnswer(this ChargeRecord charge) => charge.ToView() with { RefundedAmount = 0 };

    public static RefundView ToView(this RefundRecord refund) =>
        new(refund.Id, refund.ChargeId, refund.Amount, Balance(refund.FreeAfter, refund.PaidAfter), refund.CreatedAt);

    public static TransactionView? ToTransaction(this AdWallet.Persistence.JournalEntry<WalletEvent> entry) =>
        entry.Value is IPostingEvent { Posting: var posting }
            ? new TransactionView(
                $"txn_{entry.Sequence}",
                posting.Kind,
                posting.Amount,
                posting.Free,
                posting.Paid,
                Balance(posting.FreeAfter, posting.PaidAfter),
                posting.Reference,
                entry.Value.At)
            : null;
}
