using System.Text.Json;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// A load campaign after the failover: it spent exactly the acknowledged participations at its price, never more than
/// its budget, and a campaign whose budget ran out ended for that reason with the budget spent.
/// </summary>
public static class CampaignInvariants
{
    public static List<string> Check(JsonElement seen, CampaignUnderTest campaign, ParticipationBook book)
    {
        var violations = new List<string>();
        var accepted = book.AcceptedUsers(campaign.Id).Count;
        var refused = book.RefusedUsers(campaign.Id);
        var where = $"campaign {campaign.Id} (budget {campaign.Budget:N0}, price {campaign.Price:N0}, {accepted} acknowledged, {refused.Count} refused): {seen.GetRawText()}";
        var spent = seen.Number("spent");
        if (spent > campaign.Budget) violations.Add($"spent more than its budget; {where}");
        if (spent != accepted * campaign.Price) violations.Add($"spent is not the acknowledged participations times the price; {where}");
        if (seen.Number("participations") != accepted) violations.Add($"participations differ from the acknowledged ones; {where}");
        if (campaign.Role == CampaignRole.Exhaustible)
        {
            if (seen.Text("status") != "ended" || seen.Text("endReason") != "budget_exhausted" || spent != campaign.Budget)
                violations.Add($"its budget should be spent and the campaign ended with budget_exhausted; {where}");
        }
        else if (refused.Count > 0 || seen.Text("status") != "running")
        {
            violations.Add($"should be running, with no participation refused; {where}");
        }
        return violations;
    }
}
