using AdWallet.Grains;
using AdWallet.Grains.Wallets;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// A wallet's balance and its whole ledger as the grain answers them (<c>ListTransactions</c>, every page, newest
/// first, read from storage): the number of entries, their sum, and the entries whose balance does not follow from the
/// entry before.
/// </summary>
internal sealed record WalletLedger(long Balance, long Entries, long Sum, int BrokenChain)
{
    /// <summary>The ledger adds up: it sums to the balance, each entry follows from the previous, and the first started from zero.</summary>
    public bool AddsUp => Sum == Balance && BrokenChain == 0;

    public static async Task<WalletLedger> ReadAsync(IWalletGrain wallet, Caller caller)
    {
        var balance = (await wallet.Get(caller)).Balance.Total;
        long entries = 0, sum = 0;
        long? newerBalanceBefore = null;
        var brokenChain = 0;
        string? cursor = null;
        do
        {
            var page = await wallet.ListTransactions(caller, kind: null, new PageRequest(PageRequest.MaxLimit, cursor));
            foreach (var entry in page.Items)
            {
                if (entries == 0 && entry.BalanceAfter.Total != balance) brokenChain++;
                if (newerBalanceBefore is { } before && entry.BalanceAfter.Total != before) brokenChain++;
                newerBalanceBefore = entry.BalanceAfter.Total - entry.Amount;
                entries++;
                sum += entry.Amount;
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        // The oldest entry must start from an empty wallet.
        if (newerBalanceBefore is not (0 or null)) brokenChain++;
        return new WalletLedger(balance, entries, sum, brokenChain);
    }
}
