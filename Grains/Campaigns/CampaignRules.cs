namespace AdWallet.Grains.Campaigns;

/// <summary>
/// What a campaign may be. The ad account checks a new campaign with these rules before counting it against its
/// limits; the campaign checks them again, and is the authority.
/// </summary>
public static class CampaignRules
{
    public const int MaximumNameLength = 100;
    public const long MinimumPrice = 1;
    public const long MaximumBudget = 10_000_000_000;
    public const string DomesticPhonePrefix = "+82";

    public static void Validate(CreateCampaign command, DateTimeOffset now)
    {
        ValidateName(command.Name);
        if (!CampaignKinds.All.Contains(command.Kind))
            throw Invalid($"A campaign is {string.Join(" or ", CampaignKinds.All)}.");
        ValidateMoney(command.Budget, command.PricePerParticipation);
        if (command.EndsAt is { } endsAt)
        {
            if (endsAt <= now) throw Invalid("The end time must be in the future.");
            if (command.StartsAt is { } startsAt && endsAt <= startsAt) throw Invalid("The end time must come after the start time.");
        }
        if (command.CreativeId is not null) ValidateCreative(command.CreativeId);
    }

    public static void ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaximumNameLength)
            throw Invalid($"A campaign name is 1 to {MaximumNameLength} characters.");
    }

    public static void ValidateMoney(long budget, long price)
    {
        if (price < MinimumPrice) throw Invalid($"The price per participation is at least {MinimumPrice} won.");
        if (budget < price) throw Invalid("The budget must cover at least one participation.");
        if (budget > MaximumBudget) throw Invalid($"The budget is at most {MaximumBudget:N0} won.");
    }

    public static void ValidateCreative(string? creativeId)
    {
        if (string.IsNullOrWhiteSpace(creativeId) || creativeId.Length > MaximumNameLength)
            throw Invalid($"A creative id is 1 to {MaximumNameLength} characters.");
    }

    /// <summary>Only Korean numbers take part, except in coupon campaigns.</summary>
    public static bool IsEligible(string kind, string phone) =>
        kind == CampaignKinds.EmoticonCoupon || phone.StartsWith(DomesticPhonePrefix, StringComparison.Ordinal);

    private static DomainException Invalid(string message) => new(ErrorCodes.ValidationFailed, message);
}
