using AdWallet.Grains.AdAccounts;
using AdWallet.TestSupport;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Advertising;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>A refusal thrown inside a grain reaches its caller, across the wire and across grains, as a DomainException with its code.</summary>
public sealed class DomainExceptionTests
{
    [Fact]
    public async Task A_refusal_inside_a_grain_reaches_the_client_with_its_code_and_message()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(As(Platform.Master), new ChargeCommand(10_000, PaymentMethods.Card, TermsAccepted: false, CardNumber: TestCards.Succeeding), Key()));
        var notFound = await Assert.ThrowsAsync<DomainException>(() => wallet.GetCharge(As(Platform.Master), "chg_missing"));

        Assert.Equal(ErrorCodes.TermsNotAccepted, refused.Code);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        Assert.Equal(ErrorCodes.NotFound, notFound.Code);
        Assert.Contains("chg_missing", notFound.Message);
    }

    [Fact]
    public async Task A_refusal_by_a_grain_called_by_another_grain_keeps_its_code_at_the_client()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewFundedWalletAsync();

        // The ad account asks the wallet (Get, then AttachAdAccount); the wallet refuses an outsider, and the account passes that on.
        var refused = await RefusedAsync(() => platform.AdAccount(NewAccountId()).Create(As(Platform.Outsider), new CreateAdAccount("Mine", wallet.GetPrimaryKeyString())));
        var direct = await RefusedAsync(() => wallet.AttachAdAccount(As(Platform.Outsider), NewAccountId()));

        // The wallet's own refusal, code and message, not one the account made up.
        Assert.Equal((ErrorCodes.NotFound, direct.Message), (refused.Code, refused.Message));
        Assert.Contains(wallet.GetPrimaryKeyString(), refused.Message);
    }
}
