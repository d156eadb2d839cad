using System.Text.Json;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// A wallet after the failover, read through the API: its ledger sums to its balance, and its charges are exactly the
/// acknowledged ones, each credited once with its amount. Answers every violation found, not just the first.
/// </summary>
public static class WalletInvariants
{
    public static async Task<List<string>> CheckAsync(RetryingSender sender, Advertiser owner, ChargeBook book)
    {
        var violations = new List<string>();
        var where = $"wallet {owner.WalletId} ({owner.UserId})";
        var total = (await sender.GetOk(owner.Client, $"/v1/wallets/{owner.WalletId}")).GetProperty("balance").Number("total");
        var ledger = await sender.GetAllPages(owner.Client, $"/v1/wallets/{owner.WalletId}/transactions");
        var history = await sender.GetAllPages(owner.Client, $"/v1/wallets/{owner.WalletId}/charges");

        var sum = ledger.Sum(entry => entry.Number("amount"));
        if (sum != total) violations.Add($"{where}: the ledger ({ledger.Count} entries) sums to {sum:N0}, the balance is {total:N0}.");

        var told = book.For(owner.WalletId);
        var acknowledged = told.Where(pair => pair.Value.Succeeded).ToDictionary(pair => pair.Value.ChargeId, pair => pair.Value);
        if (acknowledged.Count != told.Values.Count(c => c.Succeeded))
            violations.Add($"{where}: different idempotency keys were acknowledged with the same charge id.");

        foreach (var duplicate in history.GroupBy(charge => charge.Text("id")).Where(group => group.Count() > 1))
            violations.Add($"{where}: charge {duplicate.Key} is listed {duplicate.Count()} times in the history.");
        var inHistory = history.GroupBy(charge => charge.Text("id")).ToDictionary(group => group.Key, group => group.First());
        foreach (var (chargeId, charge) in acknowledged)
        {
            if (!inHistory.TryGetValue(chargeId, out var listed))
                violations.Add($"{where}: acknowledged charge {chargeId} ({charge.Amount:N0}) is missing from the history.");
            else if (listed.Text("status") != "succeeded" || listed.Number("amount") != charge.Amount)
                violations.Add($"{where}: acknowledged charge {chargeId} ({charge.Amount:N0}) is listed as {listed.GetRawText()}.");
        }
        foreach (var declined in told.Values.Where(c => !c.Succeeded))
        {
            if (inHistory.TryGetValue(declined.ChargeId, out var listed) && listed.Text("status") != "failed")
                violations.Add($"{where}: charge {declined.ChargeId} was answered 402 and is listed as {listed.GetRawText()}.");
        }
        foreach (var listed in history.Where(c => c.Text("status") != "failed" && !acknowledged.ContainsKey(c.Text("id"))))
            violations.Add($"{where}: charge {listed.GetRawText()} was never acknowledged to a client.");

        var credits = ledger.Where(entry => entry.Text("kind") == "charge").GroupBy(entry => entry.Text("reference")).ToList();
        foreach (var credit in credits)
        {
            if (credit.Count() > 1)
                violations.Add($"{where}: charge {credit.Key} is credited {credit.Count()} times.");
            if (!acknowledged.TryGetValue(credit.Key, out var charge))
                violations.Add($"{where}: the ledger credits {credit.Key}, which no client was told succeeded: {credit.First().GetRawText()}");
            else if (credit.First().Number("amount") != charge.Amount)
                violations.Add($"{where}: charge {credit.Key} of {charge.Amount:N0} is credited as {credit.First().GetRawText()}.");
        }
        foreach (var chargeId in acknowledged.Keys.Except(credits.Select(credit => credit.Key)))
            violations.Add($"{where}: acknowledged charge {chargeId} is not credited in the ledger.");
        return violations;
    }

    /// <summary>What the wallet has taken from a campaign: the negated sum of its <c>use</c> entries naming the campaign.</summary>
    public static async Task<long> SettledFromAsync(RetryingSender sender, CampaignUnderTest campaign)
    {
        var uses = await sender.GetAllPages(campaign.Owner.Client, $"/v1/wallets/{campaign.Owner.WalletId}/transactions?kind=use");
        return -uses.Where(entry => entry.Text("reference").StartsWith($"{campaign.Id}/", StringComparison.Ordinal)).Sum(entry => entry.Number("amount"));
    }
}
