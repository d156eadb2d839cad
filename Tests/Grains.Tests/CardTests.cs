using AdWallet.Grains.Payments;
using AdWallet.TestSupport;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class CardTests
{
    [Fact]
    public async Task Three_cards_at_most_the_first_primary_and_a_backup_can_be_promoted()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var first = await wallet.AddCard(As(Platform.Master), new AddCard(TestCards.Succeeding, "12/30", CardKinds.Credit));
        var second = await wallet.AddCard(As(Platform.Member), new AddCard(TestCards.RegistersButDeclines, "01/31", CardKinds.Check));
        var third = await wallet.AddCard(As(Platform.Member), new AddCard("5555555555554444", "06/29", CardKinds.Credit));

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.AddCard(As(Platform.Master), new AddCard("4111111111111111", "12/30", CardKinds.Credit)));
        var promoted = await wallet.MakeCardPrimary(As(Platform.Member), third.Id);

        Assert.Equal(("primary", "backup", "backup"), (first.Role, second.Role, third.Role));
        Assert.Equal("4242", first.Last4);
        Assert.Equal(ErrorCodes.CardLimit, error.Code);
        Assert.Equal([third.Id, first.Id, second.Id], promoted.Cards.Select(c => c.Id));
        Assert.Equal(["primary", "backup", "backup"], promoted.Cards.Select(c => c.Role));
    }

    [Theory]
    [InlineData(TestCards.Declined, "12/30", ErrorCodes.CardDeclined)]
    [InlineData(TestCards.Expired, "12/30", ErrorCodes.ExpiredCard)]
    [InlineData(TestCards.Succeeding, "12/25", ErrorCodes.ExpiredCard)]
    public async Task A_card_the_gateway_refuses_is_not_registered(string number, string expiry, string code)
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.AddCard(As(Platform.Master), new AddCard(number, expiry, CardKinds.Credit)));

        Assert.Equal(code, error.Code);
        Assert.Empty((await wallet.Get(As(Platform.Master))).Cards);
    }

    [Fact]
    public async Task Auto_pay_needs_a_credit_card_and_a_limit_in_steps()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var check = await wallet.AddCard(As(Platform.Master), new AddCard(TestCards.Succeeding, "12/30", CardKinds.Check));

        Assert.Equal(ErrorCodes.CreditCardRequired, (await Assert.ThrowsAsync<DomainException>(() => wallet.SetAutoPay(As(Platform.Master), new AutoPaySettings(true)))).Code);
        var credit = await wallet.AddCard(As(Platform.Master), new AddCard("5555555555554444", "12/30", CardKinds.Credit));
        Assert.Equal(ErrorCodes.ValidationFailed, (await Assert.ThrowsAsync<DomainException>(() => wallet.SetAutoPay(As(Platform.Master), new AutoPaySettings(true, 1_500)))).Code);
        var view = await wallet.SetAutoPay(As(Platform.Member), new AutoPaySettings(true, 50_000));

        Assert.Equal(new AutoPayView(true, 50_000), view.AutoPay);
        Assert.Equal(ErrorCodes.CreditCardRequired, (await Assert.ThrowsAsync<DomainException>(() => wallet.RemoveCard(As(Platform.Master), credit.Id))).Code);
        await wallet.RemoveCard(As(Platform.Master), check.Id);
        Assert.Equal([credit.Id], (await wallet.Get(As(Platform.Master))).Cards.Select(c => c.Id));
        Assert.Empty((await wallet.ListAutoPayAttempts(As(Platform.Master), new PageRequest())).Items);
    }
}
