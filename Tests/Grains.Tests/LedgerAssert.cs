using AdWallet.Grains.Wallets;

namespace AdWallet.Grains.Tests;

internal static class LedgerAssert
{
    /// <summary>The invariant of the money model: the balance is the sum of the ledger, free and paid alike.</summary>
    public static async Task<IReadOnlyList<TransactionView>> BalanceIsTheSumOfTheLedgerAsync(IWalletGrain wallet)
    {
        var view = await wallet.Get(Requests.As(Platform.Master));
        var all = new List<TransactionView>();
        string? cursor = null;
        do
        {
            var page = await wallet.ListTransactions(Requests.As(Platform.Master), null, new PageRequest(PageRequest.MaxLimit, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(view.Balance.Total, all.Sum(t => t.Amount));
        Assert.Equal(view.Balance.Free, all.Sum(t => t.Free));
        Assert.Equal(view.Balance.Paid, all.Sum(t => t.Paid));
        Assert.Equal(view.Balance.Free + view.Balance.Paid, view.Balance.Total);
        if (all.Count > 0) Assert.Equal(view.Balance, all[0].BalanceAfter);
        return all;
    }
}
