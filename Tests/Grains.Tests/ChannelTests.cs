using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class ChannelTests
{
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
