using System.Globalization;
using System.Net;

namespace AdWallet.Cluster.Tests;

/// <summary>A user with a business wallet, charged at creation so that the ad account on it is ON.</summary>
public sealed record Advertiser(int Index, string UserId, HttpClient Client, string WalletId, string AdAccountId);

public sealed record CampaignUnderTest(Advertiser Owner, string Id, long Budget, long Price, CampaignRole Role);

public enum CampaignRole
{
    /// <summary>Takes participations during the load, with a budget that outlasts them.</summary>
    Load,

    /// <summary>Takes participations during the load, more than its budget pays for: it runs out.</summary>
    Exhaustible,

    /// <summary>Has an end time, and takes no participations once the load starts: its end reminder alone settles it.</summary>
    Timed,
}

/// <summary>Creates the advertisers and their campaigns through the API, before any silo is killed.</summary>
public static class Advertisers
{
    public const long SetupCharge = 300_000;

    public static async Task<Advertiser> CreateAsync(ProcessCluster cluster, RetryingSender sender, ChargeBook charges, string run, int index)
    {
        var userId = $"adv-{run}-{index}";
        var client = cluster.ClientFor(userId);
        var wallet = await sender.SendAsync(client, HttpMethod.Post, "/v1/wallets",
                $$"""{ "name": "Shop {{index}}", "kind": "business", "businessRegistrationNumber": "1234567890", "taxInvoiceEmail": "tax@example.com" }""")
            .Expect(HttpStatusCode.Created);
        var walletId = wallet.Text("id");

        var key = $"{run}-setup-{index}";
        var charge = await sender.SendAsync(client, HttpMethod.Post, $"/v1/wallets/{walletId}/charges",
            $$"""{ "amount": {{SetupCharge}}, "method": "pay_money", "termsAccepted": true }""", key).Expect(HttpStatusCode.Created);
        charges.Acknowledge(walletId, key, charge.Text("id"), SetupCharge);

        var account = await sender.SendAsync(client, HttpMethod.Post, "/v1/ad-accounts", $$"""{ "name": "Brand {{index}}", "walletId": "{{walletId}}" }""")
            .Expect(HttpStatusCode.Created);
        if (account.Text("status") != "on") throw new UnexpectedAnswerException($"Ad account of {userId} is not ON after a charge: {account}");
        return new Advertiser(index, userId, client, walletId, account.Text("id"));
    }

    public static async Task<CampaignUnderTest> CreateCampaignAsync(RetryingSender sender, Advertiser owner, long budget, long price, CampaignRole role)
    {
        var timed = role == CampaignRole.Timed;
        // A timed campaign ends far away for now; the test moves its end to just after the kill.
        var endsAt = timed ? $", \"endsAt\": \"{Iso(DateTimeOffset.UtcNow.AddMinutes(10))}\"" : "";
        var campaign = await sender.SendAsync(owner.Client, HttpMethod.Post, $"/v1/ad-accounts/{owner.AdAccountId}/campaigns",
                $$"""{ "name": "Campaign {{owner.Index}}", "kind": "emoticon", "budget": {{budget}}, "pricePerParticipation": {{price}}{{endsAt}} }""")
            .Expect(HttpStatusCode.Created);
        if (campaign.Text("status") != "running") throw new UnexpectedAnswerException($"Campaign is not running at creation: {campaign}");
        return new CampaignUnderTest(owner, campaign.Text("id"), budget, price, role);
    }

    /// <summary>ISO 8601 with its offset, to the second, as the API reads it.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A Korean mobile number, unique per <paramref name="n"/>.</summary>
    public static string KoreanPhone(int n) => $"+8210{n:D8}";
}
