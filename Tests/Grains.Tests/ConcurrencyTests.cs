using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task A_thousand_concurrent_charges_end_with_the_exact_balance_and_ledger()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        const int Charges = 1_000;

        var answers = await Task.WhenAll(Enumerable.Range(1, Charges).Select(i =>
            Task.Run(() => wallet.Charge(As(i % 2 == 0 ? Platform.Master : Platform.Member), CardCharge(1_000 + i), Key()))));

        Assert.All(answers, a => Assert.Equal(ChargeStatus.Succeeded, a.Value.Status));
        var expected = Enumerable.Range(1, Charges).Sum(i => 1_000L + i);
        Assert.Equal(expected, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(Charges, (await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet)).Count);

        await platform.RestartAsync(graceful: false);
        wallet = platform.Wallet(wallet.GetPrimaryKeyString());
        Assert.Equal(expected, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(Charges, (await LedgerAssert.BalanceIsTheSumOfTheLedgerAsync(wallet)).Count);
    }
}
