using AdWallet.Grains.Channels;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>
/// Seed 001: every admin of a channel with a connected wallet has wallet-member rights on it and finds it among their
/// managed wallets; what only the wallet master does stays theirs, and managing a wallet opens no channel.
/// </summary>
public sealed class ManagedWalletTests
{
    [Fact]
    public async Task An_admin_of_a_connected_channel_has_member_rights_on_the_wallet()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var channel = await NewChannelAsync(platform, "chn_1", "admin");
        var admin = As("admin");
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => wallet.Get(admin))).Code);

        await channel.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());

        var charge = (await wallet.Charge(admin, CardCharge(5_000), Key())).Value;
        var refund = (await wallet.Refund(admin, new RefundCommand(charge.Id, 2_000), Key())).Value;
        Assert.Equal(3_000, refund.Balance.Total);
        Assert.Equal(3_000, (await wallet.Get(admin)).Balance.Total);
        Assert.Equal(charge.Id, (await wallet.GetCharge(admin, charge.Id)).Id);
        Assert.Equal(2, (await wallet.ListTransactions(admin, null, new PageRequest())).Items.Count);
        Assert.Equal("books@example.com", (await wallet.Update(admin, new UpdateWallet(TaxInvoiceEmail: "books@example.com"))).TaxInvoiceEmail);
    }

    [Fact]
    public async Task What_only_the_wallet_master_does_is_forbidden_to_a_managing_admin()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var channel = await NewChannelAsync(platform, "chn_1", "admin");
        await channel.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());
        var admin = As("admin");
        var own = platform.Channel("chn_admins_own");
        await own.Create(admin, "Admin's own");

        await AssertForbidden(() => wallet.Update(admin, new UpdateWallet(Name: "Mine")));
        await AssertForbidden(() => wallet.AddMember(admin, "friend"));
        await AssertForbidden(() => wallet.RemoveMember(admin, Platform.Member));
        await AssertForbidden(() => own.ConnectWallet(admin, wallet.GetPrimaryKeyString()));
        var view = await wallet.Get(As(Platform.Master));
        Assert.Equal("Ads", view.Name);
        Assert.Equal([Platform.Member], view.MemberIds);
        Assert.Null((await own.Get(admin)).WalletId);
    }

    [Fact]
    public async Task Managed_wallets_follow_admins_and_connections_and_leave_out_ones_own()
    {
        await using var platform = await Platform.StartAsync();
        var first = await platform.NewWalletAsync();
        var second = await platform.NewWalletAsync();
        var channel = await NewChannelAsync(platform, "chn_1", "early");

        // Connecting a wallet to a channel with admins; the master's own wallet is not managed, a member's neither.
        await channel.ConnectWallet(As(Platform.Master), first.GetPrimaryKeyString());
        await channel.AddAdmin(As(Platform.Master), Platform.Member);
        Assert.Equal([first.GetPrimaryKeyString()], await ManagedAsync(platform, "early"));
        Assert.Empty(await ManagedAsync(platform, Platform.Master));
        Assert.Empty(await ManagedAsync(platform, Platform.Member));

        // Adding an admin to a channel that has a wallet.
        await channel.AddAdmin(As(Platform.Master), "late");
        Assert.Equal([first.GetPrimaryKeyString()], await ManagedAsync(platform, "late"));

        // Connecting another wallet: the first is no longer managed, nor reachable.
        await channel.ConnectWallet(As(Platform.Master), second.GetPrimaryKeyString());
        Assert.Equal([second.GetPrimaryKeyString()], await ManagedAsync(platform, "early"));
        Assert.Equal([second.GetPrimaryKeyString()], await ManagedAsync(platform, "late"));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => first.Get(As("late")))).Code);
    }

    [Fact]
    public async Task A_wallet_managed_through_two_channels_stays_managed_while_one_still_connects_it()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var other = await platform.NewWalletAsync();
        var one = await NewChannelAsync(platform, "chn_1", "admin");
        var two = await NewChannelAsync(platform, "chn_2", "admin");
        await one.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());
        await two.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());

        await one.ConnectWallet(As(Platform.Master), other.GetPrimaryKeyString());

        Assert.Equal(new[] { other.GetPrimaryKeyString(), wallet.GetPrimaryKeyString() }.Order(StringComparer.Ordinal), await ManagedAsync(platform, "admin"));
        Assert.Equal(wallet.GetPrimaryKeyString(), (await wallet.Get(As("admin"))).Id);
    }

    [Fact]
    public async Task Managing_a_wallet_opens_no_channel_one_is_not_an_admin_of()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var managed = await NewChannelAsync(platform, "chn_managed", "admin");
        var elsewhere = await NewChannelAsync(platform, "chn_elsewhere", "someone_else");
        await managed.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());
        await elsewhere.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());

        Assert.Equal(wallet.GetPrimaryKeyString(), (await wallet.Get(As("admin"))).Id);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => elsewhere.Get(As("admin")))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => elsewhere.AddFriends(As("admin"), ["+821011112222"]))).Code);
    }

    /// <summary>A business channel of <see cref="Platform.Master"/> with one admin.</summary>
    private static async Task<IChannelGrain> NewChannelAsync(Platform platform, string id, string adminId)
    {
        var channel = platform.Channel(id);
        await channel.Create(As(Platform.Master), "Brand");
        await channel.AddAdmin(As(Platform.Master), adminId);
        return channel;
    }

    private static async Task<IReadOnlyList<string>> ManagedAsync(Platform platform, string userId) =>
        (await platform.User(userId).Get()).ManagedWallets;

    private static async Task AssertForbidden(Func<Task> call) =>
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(call)).Code);
}
