namespace AdWallet.Grains.Wallets;

/// <summary>
/// The wallet's money rules that need no state but their inputs, so that they can be stated once and checked by
/// property tests: which cash pays for spend, which lots it comes from, and what auto-pay charges.
/// </summary>
public static class MoneyRules
{
    /// <summary>Spend is paid from free cash first, the rest from paid cash (which may go below zero).</summary>
    public static (long Free, long Paid) SplitSpend(long freeBalance, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(freeBalance);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var free = Math.Min(freeBalance, amount);
        return (free, amount - free);
    }

    /// <summary>
    /// How much of <paramref name="amount"/> each lot gives, taking the lots in the order given until the amount is
    /// covered: free cash lot by lot, the one that expires first first; paid cash charge by charge, oldest first. What
    /// the lots cannot cover is left to go below zero.
    /// </summary>
    public static long[] TakeInOrder(IReadOnlyList<long> remaining, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var taken = new long[remaining.Count];
        for (var i = 0; i < remaining.Count && amount > 0; i++)
        {
            taken[i] = Math.Min(amount, remaining[i]);
            amount -= taken[i];
        }
        return taken;
    }

    /// <summary>
    /// What auto-pay charges for a debt: the debt, at least the minimum charge and at most 500,000 won, cut to what the
    /// day's limit leaves; 0 when that is below the minimum charge (the limit is reached for the day).
    /// </summary>
    public static long AutoPayAmount(long debt, long leftUnderDailyLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(debt);
        var wanted = Math.Max(WalletLimits.MinimumCharge, Math.Min(WalletLimits.AutoPayChargeLimit, debt));
        var amount = Math.Min(wanted, leftUnderDailyLimit);
        return amount < WalletLimits.MinimumCharge ? 0 : amount;
    }
}
