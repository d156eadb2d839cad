using AdWallet.Grains.BusinessInfo;

namespace AdWallet.Api.Requests;

public static class BusinessInfoRequests
{
    /// <summary>A change of the business registration number, the business name, or both; at least one.</summary>
    public static BusinessInfoChange Change(FieldReader body)
    {
        var change = new BusinessInfoChange(
            body.OptionalString("businessRegistrationNumber", TextRule.BusinessRegistrationNumber),
            body.OptionalString("businessName", TextRule.Name));
        if (!body.Has("businessRegistrationNumber") && !body.Has("businessName"))
            body.Errors.Add("businessRegistrationNumber", "or businessName is required: name what changes.");
        body.ThrowIfInvalid();
        return change;
    }
}
