using System.Net;
using static AdWallet.Api.Tests.Role;

namespace AdWallet.Api.Tests;

/// <summary>Seed 001 over HTTP: <c>managedWallets</c> in <c>GET /v1/me</c>, apart from the wallets one is master or member of.</summary>
public sealed class ManagedWalletHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    [Fact]
    public async Task Admins_of_a_connected_channel_find_the_wallet_among_their_managed_wallets_and_its_master_does_not()
    {
        using var world = await AuthorizationWorld.CreateAsync(platform);

        var managing = await world.Client(ManagingAdmin).GetOk("/v1/me");
        var admin = await world.Client(ChannelAdmin).GetOk("/v1/me");
        var master = await world.Client(WalletMaster).GetOk("/v1/me");

        Assert.Equal([world.WalletId], managing.Strings("managedWallets"));
        Assert.Empty(managing.Strings("wallets"));
        // The admin of both channels manages both connected wallets.
        Assert.Equal(new[] { world.WalletId, world.ChannelWalletId }.Order(StringComparer.Ordinal), admin.Strings("managedWallets").Order(StringComparer.Ordinal));
        Assert.Contains(world.WalletId, master.Strings("wallets"));
        Assert.Empty(master.Strings("managedWallets"));
        // A member of WC who is no channel admin manages nothing.
        Assert.Empty((await world.Client(WalletMember).GetOk("/v1/me")).Strings("managedWallets"));
    }

    [Fact]
    public async Task An_admin_added_later_manages_the_wallet_and_loses_it_when_another_is_connected()
    {
        using var world = await AuthorizationWorld.CreateAsync(platform);
        var lateId = world.NewUserId();
        using var late = platform.CreateClientFor(lateId);
        await world.Client(ChannelMaster).AddChannelAdmin(world.ChannelId, lateId);

        Assert.Equal([world.ChannelWalletId], (await late.GetOk("/v1/me")).Strings("managedWallets"));
        await late.GetOk($"/v1/wallets/{world.ChannelWalletId}");

        var replacement = await world.NewWalletOfChannelMaster();
        await world.Client(ChannelMaster).ConnectWallet(world.ChannelId, replacement);

        Assert.Equal([replacement], (await late.GetOk("/v1/me")).Strings("managedWallets"));
        await ProblemAssert.IsProblem(await late.GetAsync($"/v1/wallets/{world.ChannelWalletId}"), HttpStatusCode.NotFound, "not_found");
        await late.GetOk($"/v1/wallets/{replacement}/transactions");
    }
}
