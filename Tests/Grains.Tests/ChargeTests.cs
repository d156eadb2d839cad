using AdWallet.Grains.Payments;
using AdWallet.TestSupport;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class ChargeTests
{
    [Fact]
    public async Task A_charge_credits_paid_cash_and_writes_one_ledger_entry()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var charge = (await wallet.Charge(As(Platform.Member), CardCharge(30_000), Key())).Value;

        Assert.Equal(ChargeStatus.Succeeded, charge.Status);
        Assert.Equal(new BalanceView(0, 30_000, 30_000), charge.Balance);
        var ledger = await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);
        var entry = Assert.Single(ledger);
        Assert.Equal((TransactionKinds.Charge, 30_000L, charge.Id), (entry.Kind, entry.Amount, entry.Reference));
    }

    [Theory]
    [InlineData(PaymentMethods.PayMoney)]
    [InlineData(PaymentMethods.Phone)]
    [InlineData(PaymentMethods.GiftCard)]
    public async Task Every_method_charges(string method)
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var charge = (await wallet.Charge(As(Platform.Master), new ChargeCommand(5_000, method, TermsAccepted: true), Key())).Value;

        Assert.Equal((ChargeStatus.Succeeded, method), (charge.Status, charge.Method));
    }

    [Theory]
    [InlineData(TestCards.Declined, ErrorCodes.CardDeclined)]
    [InlineData(TestCards.InsufficientFunds, ErrorCodes.InsufficientFunds)]
    [InlineData(TestCards.Expired, ErrorCodes.ExpiredCard)]
    [InlineData(TestCards.ProcessingError, ErrorCodes.ProcessingError)]
    [InlineData(TestCards.RegistersButDeclines, ErrorCodes.CardDeclined)]
    public async Task A_declined_charge_is_recorded_as_failed_and_changes_no_balance(string card, string code)
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var key = Key();

        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(10_000, card), key)).Value;

        Assert.Equal((ChargeStatus.Failed, code), (charge.Status, charge.Code));
        Assert.Equal(new BalanceView(0, 0, 0), (await wallet.Get(As(Platform.Master))).Balance);
        Assert.Empty(await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet));
        Assert.Equal(ChargeStatus.Failed, (await wallet.GetCharge(As(Platform.Member), charge.Id)).Status);
        var replay = await wallet.Charge(As(Platform.Master), CardCharge(10_000, card), key);
        Assert.True(replay.Replayed);
        Assert.Equal(charge, replay.Value);
    }

    [Fact]
    public async Task A_registered_card_is_charged_by_its_id()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var card = await wallet.AddCard(As(Platform.Master), new AddCard(TestCards.Succeeding, "12/30", CardKinds.Credit));

        var charge = (await wallet.Charge(As(Platform.Master), new ChargeCommand(1_000, PaymentMethods.Card, true, CardId: card.Id), Key())).Value;

        Assert.Equal((ChargeStatus.Succeeded, card.Id), (charge.Status, charge.CardId));
        await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(As(Platform.Master), new ChargeCommand(1_000, PaymentMethods.Card, true, CardId: "card_missing"), Key()));
    }

    [Theory]
    [InlineData(999)]
    [InlineData(0)]
    [InlineData(-1_000)]
    [InlineData(10_000_001)]
    public async Task An_amount_outside_the_limits_is_refused(long amount)
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(As(Platform.Master), CardCharge(amount), Key()));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal(0, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task Terms_must_be_accepted()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var error = await Assert.ThrowsAsync<DomainException>(
            () => wallet.Charge(As(Platform.Master), new ChargeCommand(1_000, PaymentMethods.Phone, TermsAccepted: false), Key()));

        Assert.Equal(ErrorCodes.TermsNotAccepted, error.Code);
    }

    [Fact]
    public async Task A_personal_wallet_needs_a_verified_caller_to_charge()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync(WalletKinds.Personal);

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(As(Platform.Member), CardCharge(1_000), Key()));
        Assert.Equal(ErrorCodes.IdentityVerificationRequired, error.Code);

        await platform.User(Platform.Member).VerifyIdentity(new("Lee", new DateOnly(1991, 2, 3), "+821098765432"));
        Assert.Equal(ChargeStatus.Succeeded, (await wallet.Charge(As(Platform.Member), CardCharge(1_000), Key())).Value.Status);
    }

    [Fact]
    public async Task Charges_are_listed_newest_first_in_pages()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        for (var i = 1; i <= 5; i++) await wallet.Charge(As(Platform.Master), CardCharge(i * 1_000), Key());

        var first = await wallet.ListCharges(As(Platform.Member), new PageRequest(2));
        var second = await wallet.ListCharges(As(Platform.Member), new PageRequest(2, first.NextCursor));
        var last = await wallet.ListCharges(As(Platform.Member), new PageRequest(2, second.NextCursor));

        Assert.Equal([5_000L, 4_000L, 3_000L, 2_000L, 1_000L], first.Items.Concat(second.Items).Concat(last.Items).Select(c => c.Amount));
        Assert.Null(last.NextCursor);
    }

    [Fact]
    public async Task Transactions_can_be_filtered_by_kind()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key())).Value;
        await wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id, 3_000), Key());
        await wallet.GrantFreeCash(Caller.Operator("ops"), new GrantFreeCash(2_000, platform.Clock.GetUtcNow().AddDays(7)), Key());

        var refunds = await wallet.ListTransactions(As(Platform.Member), TransactionKinds.Refund, new PageRequest());
        var all = await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet);

        Assert.Equal(-3_000, Assert.Single(refunds.Items).Amount);
        Assert.Equal([TransactionKinds.FreeCash, TransactionKinds.Refund, TransactionKinds.Charge], all.Select(t => t.Kind));
    }
}
