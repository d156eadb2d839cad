using AdWallet.Grains.Wallets;
using AdWallet.TestSupport;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Who may do what with a wallet, at the grain: outsiders see nothing, members cannot do the master's part.</summary>
public sealed class AccessTests
{
    [Fact]
    public async Task Outsiders_are_told_the_wallet_does_not_exist()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var outsider = As(Platform.Outsider);

        Func<Task>[] calls =
        [
            () => wallet.Get(outsider),
            () => wallet.Update(outsider, new UpdateWallet(TaxInvoiceEmail: "a@b.kr")),
            () => wallet.AddMember(outsider, "x"),
            () => wallet.RemoveMember(outsider, Platform.Member),
            () => wallet.Charge(outsider, CardCharge(1_000), Key()),
            () => wallet.ListCharges(outsider, new PageRequest()),
            () => wallet.ListTransactions(outsider, null, new PageRequest()),
            () => wallet.Refund(outsider, new RefundCommand("chg_x"), Key()),
            () => wallet.AddCard(outsider, new AddCard(TestCards.Succeeding, "12/30", CardKinds.Credit)),
            () => wallet.SetAutoPay(outsider, new AutoPaySettings(false)),
            () => wallet.ListAutoPayAttempts(outsider, new PageRequest()),
        ];
        foreach (var call in calls)
            Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(call)).Code);
        Assert.Equal(0, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task Members_cannot_do_what_only_the_master_may()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var member = As(Platform.Member);

        Func<Task>[] calls =
        [
            () => wallet.Update(member, new UpdateWallet(Name: "Mine now")),
            () => wallet.AddMember(member, "friend"),
            () => wallet.RemoveMember(member, Platform.Member),
            () => wallet.ConnectChannel(member, "chn_x"),
        ];
        foreach (var call in calls)
            Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(call)).Code);

        var view = await wallet.Update(member, new UpdateWallet(TaxInvoiceEmail: "tax@corp.kr"));
        Assert.Equal(("Ads", "tax@corp.kr"), (view.Name, view.TaxInvoiceEmail));
    }

    [Fact]
    public async Task The_master_manages_members_and_the_users_see_their_wallets()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var id = wallet.GetPrimaryKeyString();

        Assert.Contains(id, (await platform.User(Platform.Member).Get()).Wallets);
        await wallet.RemoveMember(As(Platform.Master), Platform.Member);

        Assert.DoesNotContain(id, (await platform.User(Platform.Member).Get()).Wallets);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.Get(As(Platform.Member)))).Code);
        Assert.Equal(ErrorCodes.CannotRemoveMaster,
            (await Assert.ThrowsAsync<DomainException>(() => wallet.RemoveMember(As(Platform.Master), Platform.Master))).Code);
        Assert.Contains(id, (await platform.User(Platform.Master).Get()).Wallets);
    }

    [Fact]
    public async Task A_personal_wallet_needs_a_verified_creator_and_a_business_wallet_its_number()
    {
        await using var platform = await Platform.StartAsync();

        var personal = await Assert.ThrowsAsync<DomainException>(
            () => platform.Wallet("wal_p").Create(As("unverified"), new CreateWallet("Me", WalletKinds.Personal)));
        var business = await Assert.ThrowsAsync<DomainException>(
            () => platform.Wallet("wal_b").Create(As("anyone"), new CreateWallet("Corp", WalletKinds.Business)));

        Assert.Equal(ErrorCodes.IdentityVerificationRequired, personal.Code);
        Assert.Equal(ErrorCodes.ValidationFailed, business.Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => platform.Wallet("wal_p").Get(As("unverified")))).Code);
    }

    [Fact]
    public async Task A_wallet_is_created_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.Create(As(Platform.Outsider), new CreateWallet("Taken", WalletKinds.Business, "1234567890")));

        Assert.Equal(ErrorCodes.AlreadyExists, error.Code);
        Assert.Equal(Platform.Master, (await wallet.Get(As(Platform.Master))).MasterId);
    }
}
