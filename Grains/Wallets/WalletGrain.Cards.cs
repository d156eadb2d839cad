using System.Globalization;

namespace AdWallet.Grains.Wallets;

/// <summary>Up to three cards, the primary first, and the auto-pay settings that use them.</summary>
public sealed partial class WalletGrain
{
    public async Task<CardView> AddCard(Caller caller, AddCard command)
    {
        await RequireMemberAsync(caller);
        if (!CardKinds.All.Contains(command.Kind))
            throw new DomainException(ErrorCodes.ValidationFailed, $"A card is {string.Join(" or ", CardKinds.All)}.");
        RequireUnexpired(command.Expiry);
        RequireRoomForCard();

        var registration = await gateway.RegisterCardAsync(command.Number, command.Expiry);
        if (registration.Token is not { } token)
            throw new DomainException(registration.DeclineCode ?? ErrorCodes.CardDeclined, "The card could not be registered.");
        RequireRoomForCard();

        var cardId = NewId("card");
        Raise(new CardAdded(Now, cardId, command.Number[^4..], command.Kind, token));
        await Commit();
        return State.Cards.Last().ToView(State.Cards.Count - 1);
    }

    public async Task<WalletView> MakeCardPrimary(Caller caller, string cardId)
    {
        await RequireMemberAsync(caller);
        FindCard(cardId);
        if (State.Cards[0].Id != cardId) Raise(new CardMadePrimary(Now, cardId));
        await Commit();
        return State.ToView(Id);
    }

    public async Task RemoveCard(Caller caller, string cardId)
    {
        await RequireMemberAsync(caller);
        var card = FindCard(cardId);
        if (State.AutoPayEnabled && card.Kind == CardKinds.Credit && State.Cards.Count(c => c.Kind == CardKinds.Credit) == 1)
            throw new DomainException(ErrorCodes.CreditCardRequired, "Auto-pay needs a credit card: turn it off or add another credit card first.");
        Raise(new CardRemoved(Now, cardId));
        await Commit();
    }

    public async Task<WalletView> SetAutoPay(Caller caller, AutoPaySettings settings)
    {
        await RequireMemberAsync(caller);
        if (settings.DailyLimit is { } limit
            && (limit < WalletLimits.MinimumDailyLimit || limit > WalletLimits.MaximumDailyLimit || limit % WalletLimits.DailyLimitStep != 0))
        {
            throw new DomainException(ErrorCodes.ValidationFailed,
                $"A daily limit is {WalletLimits.MinimumDailyLimit:N0} to {WalletLimits.MaximumDailyLimit:N0} won in steps of {WalletLimits.DailyLimitStep:N0}.");
        }
        if (settings.Enabled && !State.Cards.Any(c => c.Kind == CardKinds.Credit))
            throw new DomainException(ErrorCodes.CreditCardRequired, "Auto-pay charges credit cards only: add a credit card first.");

        if (settings.Enabled != State.AutoPayEnabled || settings.DailyLimit != State.DailyLimit)
            Raise(new AutoPayChanged(Now, settings.Enabled, settings.DailyLimit));
        await Commit();
        await ScheduleAutoPayAsync();
        // Turning auto-pay on with a balance already negative past the threshold charges at once.
        if (State.AutoPayEnabled && -State.Total >= WalletLimits.AutoPayChargeLimit) await RunAutoPayAsync(AutoPayTrigger.Threshold);
        await PublishFundingAsync();
        return State.ToView(Id);
    }

    public async Task<Page<AutoPayAttemptView>> ListAutoPayAttempts(Caller caller, PageRequest page)
    {
        await RequireMemberAsync(caller);
        await wallet.WhenWrittenAsync();
        var items = await wallet.ReadItemsAsync<AutoPayAttemptView>(WalletItems.AutoPayAttempts, Paging.ParseCursor(page.Cursor), page.Limit + 1);
        return Paging.Page(items, page, attempt => attempt);
    }

    private CardRecord FindCard(string cardId) =>
        State.Cards.FirstOrDefault(c => c.Id == cardId) ?? throw DomainException.NotFound($"Card {cardId}");

    private void RequireRoomForCard()
    {
        if (State.Cards.Count >= WalletLimits.MaximumCards)
            throw new DomainException(ErrorCodes.CardLimit, $"A wallet holds at most {WalletLimits.MaximumCards} cards.");
    }

    /// <summary>A card expires at the end of its MM/YY month.</summary>
    private void RequireUnexpired(string expiry)
    {
        if (!DateTime.TryParseExact(expiry, "MM/yy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            throw new DomainException(ErrorCodes.ValidationFailed, "A card expiry is MM/YY.");
        var end = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        if (end <= Now) throw new DomainException(ErrorCodes.ExpiredCard, "The card has expired.");
    }
}
