using System.Text.Json;

namespace AdWallet.Api.Tests;

/// <summary>
/// The money model (docs/design.md) over HTTP: the balance is the sum of the ledger. Pages through <c>GET /v1/wallets/{id}/transactions</c>
/// and checks it against <c>GET /v1/wallets/{id}</c>.
/// </summary>
public static class LedgerInvariant
{
    /// <summary>A wallet's ledger, oldest first, and its balance as the wallet reports it.</summary>
    public sealed record Ledger(IReadOnlyList<JsonElement> Entries, long Free, long Paid, long Total)
    {
        public long Count => Entries.Count;

        public long SumOfAmounts => Entries.Sum(e => e.GetProperty("amount").GetInt64());
    }

    /// <summary>
    /// Asserts sum(amount) = balance.total, sum(free) = balance.free and sum(paid) = balance.paid, and, entry by entry
    /// (oldest first), that amount = free + paid, that balanceAfter is the running sum, and that ids are distinct.
    /// </summary>
    /// <param name="pageSize">Small pages exercise the cursor; the last page must end the list.</param>
    public static async Task<Ledger> AssertAddsUp(HttpClient client, string walletId, int pageSize = 200)
    {
        var newestFirst = await client.GetAllPages($"/v1/wallets/{walletId}/transactions", pageSize);
        var balance = await client.Balance(walletId);
        var (free, paid, total) = (balance.GetProperty("free").GetInt64(), balance.GetProperty("paid").GetInt64(), balance.GetProperty("total").GetInt64());
        Assert.Equal(free + paid, total);

        var entries = Enumerable.Reverse(newestFirst).ToList();
        long runningFree = 0, runningPaid = 0;
        foreach (var entry in entries)
        {
            var (amount, entryFree, entryPaid) = (entry.GetProperty("amount").GetInt64(), entry.GetProperty("free").GetInt64(), entry.GetProperty("paid").GetInt64());
            Assert.True(amount == entryFree + entryPaid, $"Entry {entry}: amount is not free + paid.");
            runningFree += entryFree;
            runningPaid += entryPaid;
            var after = entry.GetProperty("balanceAfter");
            Assert.True(
                after.GetProperty("free").GetInt64() == runningFree && after.GetProperty("paid").GetInt64() == runningPaid
                && after.GetProperty("total").GetInt64() == runningFree + runningPaid,
                $"Entry {entry}: balanceAfter is not the running sum (free {runningFree}, paid {runningPaid}).");
        }

        Assert.Equal(entries.Count, entries.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.True(entries.Sum(e => e.GetProperty("amount").GetInt64()) == total, $"The ledger of {walletId} sums to {entries.Sum(e => e.GetProperty("amount").GetInt64())}, its balance.total is {total}.");
        Assert.True(runningFree == free, $"The ledger's free parts sum to {runningFree}, balance.free is {free}.");
        Assert.True(runningPaid == paid, $"The ledger's paid parts sum to {runningPaid}, balance.paid is {paid}.");
        return new Ledger(entries, free, paid, total);
    }
}
