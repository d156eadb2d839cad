using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Advertising;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Seed 003: every member of an ad account may charge the account's wallet without being a wallet member, and nothing more.</summary>
public sealed class AdAccountChargeTests
{
    [Fact]
    public async Task A_member_of_an_ad_account_charges_its_wallet_and_does_nothing_else_with_it()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewFundedWalletAsync();
        var account = await platform.NewAdAccountAsync(wallet);
        await account.Invite(As(Platform.Master), "alice");
        await account.AcceptInvitation(As("alice"));
        var alice = As("alice");
        var before = (await wallet.Get(As(Platform.Master))).Balance.Total;

        var charge = (await wallet.Charge(alice, CardCharge(10_000), Key())).Value;

        Assert.Equal(ChargeStatus.Succeeded, charge.Status);
        Assert.Equal(before + 10_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => wallet.Get(alice))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => wallet.GetCharge(alice, charge.Id))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => wallet.Refund(alice, new RefundCommand(charge.Id), Key()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => wallet.ListTransactions(alice, null, new PageRequest()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => wallet.Update(alice, new UpdateWallet(TaxInvoiceEmail: "a@example.com")))).Code);
        Assert.DoesNotContain(wallet.GetPrimaryKeyString(), (await platform.User("alice").Get()).Wallets);
    }

    [Fact]
    public async Task The_invited_an_agency_and_a_removed_member_do_not_charge()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewFundedWalletAsync();
        var account = await platform.NewAdAccountAsync(wallet);
        await account.Invite(As(Platform.Master), "invited");
        await account.RequestAgencyRights(As("agency"));
        await account.DecideAgencyRequest(As(Platform.Master), "agency", accept: true);
        await account.Invite(As(Platform.Master), "leaver");
        await account.AcceptInvitation(As("leaver"));
        await account.RemoveMember(As(Platform.Master), "leaver");

        foreach (var user in new[] { "invited", "agency", "leaver" })
            Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => wallet.Charge(As(user), CardCharge(10_000), Key()))).Code);
        Assert.Equal(Funds, (await wallet.Get(As(Platform.Master))).Balance.Total);
    }
}
