using AdWallet.Grains.Channels;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Seed 001: channel types, business wallets on business channels only, and no tax invoice for personal wallets.</summary>
public sealed class ChannelTypeTests
{
    [Fact]
    public async Task A_channel_is_business_unless_created_general()
    {
        await using var platform = await Platform.StartAsync();

        Assert.Equal(ChannelTypes.Business, (await platform.Channel("chn_default").Create(As(Platform.Master), "Brand")).Type);
        Assert.Equal(ChannelTypes.General, (await platform.Channel("chn_general").Create(As(Platform.Master), "Club", ChannelTypes.General)).Type);
        var unknown = await Assert.ThrowsAsync<DomainException>(() => platform.Channel("chn_bad").Create(As(Platform.Master), "Odd", "premium"));
        Assert.Equal(ErrorCodes.ValidationFailed, unknown.Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => platform.Channel("chn_bad").Get(As(Platform.Master)))).Code);
    }

    [Fact]
    public async Task A_business_wallet_connects_to_a_business_channel_only()
    {
        await using var platform = await Platform.StartAsync();
        var business = await platform.NewWalletAsync();
        var general = platform.Channel("chn_general");
        await general.Create(As(Platform.Master), "Club", ChannelTypes.General);

        var refused = await Assert.ThrowsAsync<DomainException>(() => general.ConnectWallet(As(Platform.Master), business.GetPrimaryKeyString()));

        Assert.Equal(ErrorCodes.BusinessChannelRequired, refused.Code);
        Assert.Null((await general.Get(As(Platform.Master))).WalletId);
        var brand = platform.Channel("chn_brand");
        await brand.Create(As(Platform.Master), "Brand", ChannelTypes.Business);
        Assert.Equal(business.GetPrimaryKeyString(), (await brand.ConnectWallet(As(Platform.Master), business.GetPrimaryKeyString())).WalletId);
    }

    [Fact]
    public async Task A_personal_wallet_connects_to_either_type()
    {
        await using var platform = await Platform.StartAsync();
        var personal = await platform.NewWalletAsync(WalletKinds.Personal);
        var general = platform.Channel("chn_general");
        await general.Create(As(Platform.Master), "Club", ChannelTypes.General);
        var brand = platform.Channel("chn_brand");
        await brand.Create(As(Platform.Master), "Brand");

        Assert.NotNull((await general.ConnectWallet(As(Platform.Master), personal.GetPrimaryKeyString())).WalletId);
        Assert.NotNull((await brand.ConnectWallet(As(Platform.Master), personal.GetPrimaryKeyString())).WalletId);
    }

    [Fact]
    public async Task A_personal_wallet_has_no_tax_invoice_email()
    {
        await using var platform = await Platform.StartAsync();
        await platform.User(Platform.Master).VerifyIdentity(new Users.IdentityVerification("Kim", new DateOnly(1990, 1, 1), "+821012345678"));

        var atCreation = await Assert.ThrowsAsync<DomainException>(() => platform.Wallet("wal_p")
            .Create(As(Platform.Master), new CreateWallet("Me", WalletKinds.Personal, TaxInvoiceEmail: "tax@example.com")));
        Assert.Equal(ErrorCodes.BusinessWalletRequired, atCreation.Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => platform.Wallet("wal_p").Get(As(Platform.Master)))).Code);

        var personal = await platform.NewWalletAsync(WalletKinds.Personal);
        var later = await Assert.ThrowsAsync<DomainException>(() => personal.Update(As(Platform.Member), new UpdateWallet(TaxInvoiceEmail: "tax@example.com")));
        Assert.Equal(ErrorCodes.BusinessWalletRequired, later.Code);
        Assert.Null((await personal.Get(As(Platform.Master))).TaxInvoiceEmail);
    }
}
