using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;

namespace AdWallet.Api.Requests;

/// <summary>The bodies of the ad account and campaign requests. Shapes only: budgets against prices, times against now, are the campaign's rules.</summary>
public static class AdvertisingRequests
{
    public static readonly IntegerRule Budget = new(1, 10_000_000_000);
    public static readonly IntegerRule Price = new(1, 10_000_000);

    public static CreateAdAccount CreateAdAccount(FieldReader body)
    {
        var command = new CreateAdAccount(body.RequiredString("name", TextRule.Name), body.RequiredString("walletId", TextRule.ResourceId));
        body.ThrowIfInvalid();
        return command;
    }

    /// <summary><c>{ status: "on" | "off" }</c>.</summary>
    public static bool AccountStatus(FieldReader body)
    {
        var status = body.RequiredEnum("status", [AdAccountStatuses.On, AdAccountStatuses.Off]);
        body.ThrowIfInvalid();
        return status == AdAccountStatuses.On;
    }

    public static CreateCampaign CreateCampaign(FieldReader body)
    {
        var command = new CreateCampaign(
            body.RequiredString("name", TextRule.Name),
            body.RequiredEnum("kind", CampaignKinds.All),
            body.RequiredInteger("budget", Budget),
            body.RequiredInteger("pricePerParticipation", Price),
            body.OptionalDateTime("startsAt"),
            body.OptionalDateTime("endsAt"),
            body.OptionalString("creativeId", TextRule.ResourceId));
        body.ThrowIfInvalid();
        return command;
    }

    public static UpdateCampaign UpdateCampaign(FieldReader body)
    {
        var command = new UpdateCampaign(
            body.OptionalString("name", TextRule.Name),
            body.OptionalInteger("budget", Budget),
            body.OptionalDateTime("endsAt"));
        body.ThrowIfInvalid();
        return command;
    }

    public static string Creative(FieldReader body)
    {
        var creativeId = body.RequiredString("creativeId", TextRule.ResourceId);
        body.ThrowIfInvalid();
        return creativeId;
    }

    public static Participation Participation(FieldReader body)
    {
        var participation = new Participation(body.RequiredString("userId", TextRule.UserId), body.RequiredString("phone", TextRule.Phone));
        body.ThrowIfInvalid();
        return participation;
    }
}
