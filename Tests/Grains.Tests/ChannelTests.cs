using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class ChannelTests
{
    [Fact]
    public async Task Admins_of_a_connected_channel_charge_and_refund_but_see_nothing_else()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var channel = platform.Channel("chn_1");
        await channel.Create(As(Platform.Master), "Brand");
        await channel.AddAdmin(As(Platform.Master), "admin");
        var admin = As("admin");
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(admin, CardCharge(1_000), Key()))).Code);

        var connected = await channel.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());

        Assert.Equal(wallet.GetPrimaryKeyString(), connected.WalletId);
        var charge = (await wallet.Charge(admin, CardCharge(5_000), Key())).Value;
        var refund = (await wallet.Refund(admin, new RefundCommand(charge.Id, 2_000), Key())).Value;
        Assert.Equal(3_000, refund.Balance.Total);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.Get(admin))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.ListTransactions(admin, null, new PageRequest()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.GetCharge(admin, charge.Id))).Code);
    }

    [Fact]
    public async Task Only_the_channel_master_who_masters_the_wallet_connects_it()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var walletId = wallet.GetPrimaryKeyString();
        var owned = platform.Channel("chn_member");
        await owned.Create(As(Platform.Member), "Member's channel");
        await owned.AddAdmin(As(Platform.Member), Platform.Master);

        // The wallet's member masters this channel, but only the wallet master may connect the wallet.
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => owned.ConnectWallet(As(Platform.Member), walletId))).Code);
        // The wallet master is only an admin of this channel.
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => owned.ConnectWallet(As(Platform.Master), walletId))).Code);
        // Outsiders of the channel do not see it.
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => owned.ConnectWallet(As(Platform.Outsider), walletId))).Code);
        Assert.Null((await owned.Get(As(Platform.Member))).WalletId);
    }

    [Fact]
    public async Task Friends_are_counted_once()
    {
        await using var platform = await Platform.StartAsync();
        var channel = platform.Channel("chn_f");
        await channel.Create(As(Platform.Master), "Brand");

        Assert.Equal(2, await channel.AddFriends(As(Platform.Master), ["+821011112222", "+821033334444"]));
        Assert.Equal(3, await channel.AddFriends(As(Platform.Master), ["+821011112222", "+821055556666"]));
        Assert.Contains("chn_f", (await platform.User(Platform.Master).Get()).Channels);
    }
}
