using AdWallet.Grains.Wallets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AdWallet.Simulation.Tests;

/// <summary>The wallet's pure money rules (<see cref="MoneyRules"/>), each property named after the rule it states.</summary>
public sealed class MoneyRuleProperties
{
    [Property]
    public bool Spend_takes_free_cash_first_and_the_rest_from_paid_cash(NonNegativeInt free, NonNegativeInt amount)
    {
        var (fromFree, fromPaid) = MoneyRules.SplitSpend(free.Get, amount.Get);
        return fromFree + fromPaid == amount.Get
            && fromFree == Math.Min(free.Get, amount.Get)
            && fromPaid >= 0
            // Paid cash pays only once free cash is used up.
            && (fromPaid == 0 || fromFree == free.Get);
    }

    [Property]
    public bool Lots_are_used_in_order_each_emptied_before_the_next_is_touched(NonNegativeInt[] lots, NonNegativeInt amount)
    {
        var remaining = lots.Select(l => (long)l.Get).ToArray();
        var taken = MoneyRules.TakeInOrder(remaining, amount.Get);
        var lastTouched = Array.FindLastIndex(taken, t => t > 0);
        return taken.Length == remaining.Length
            && taken.Zip(remaining).All(pair => pair.First >= 0 && pair.First <= pair.Second)
            && taken.Sum() == Math.Min(amount.Get, remaining.Sum())
            && Enumerable.Range(0, Math.Max(lastTouched, 0)).All(i => taken[i] == remaining[i]);
    }

    [Property]
    public bool What_the_lots_cannot_cover_is_left_to_go_below_zero(NonNegativeInt[] lots, PositiveInt over)
    {
        var remaining = lots.Select(l => (long)l.Get).ToArray();
        var taken = MoneyRules.TakeInOrder(remaining, remaining.Sum() + over.Get);
        return taken.SequenceEqual(remaining);
    }

    [Property]
    public Property Auto_pay_charges_the_debt_at_least_the_minimum_at_most_500000_won_and_within_the_daily_limit()
    {
        var debts = Gen.Choose(1, 3_000_000).Select(d => (long)d).ToArbitrary();
        var limits = Gen.Choose(0, 2_000_000).Select(l => (long)l).ToArbitrary();
        return Prop.ForAll(debts, limits, (debt, left) =>
        {
            var amount = MoneyRules.AutoPayAmount(debt, left);
            // Nothing is charged exactly when the day leaves less than the minimum charge.
            if (amount == 0) return left < WalletLimits.MinimumCharge;
            return amount >= WalletLimits.MinimumCharge
                && amount <= WalletLimits.AutoPayChargeLimit
                && amount <= left
                // It never charges more than the debt, unless the debt is below the minimum charge.
                && (amount <= debt || amount == WalletLimits.MinimumCharge)
                // It charges all it may: the debt, 500,000 won or what the day leaves, whichever is least.
                && amount == Math.Min(Math.Max(WalletLimits.MinimumCharge, Math.Min(WalletLimits.AutoPayChargeLimit, debt)), left);
        });
    }
}
