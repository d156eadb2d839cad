using AdWallet.Grains.Users;

namespace AdWallet.Api.Requests;

public static class UserRequests
{
    public static IdentityVerification IdentityVerification(FieldReader body)
    {
        var verification = new IdentityVerification(
            body.RequiredString("name", TextRule.Name),
            body.RequiredDate("birthDate"),
            body.RequiredString("phone", TextRule.Phone));
        body.ThrowIfInvalid();
        return verification;
    }

    /// <summary><c>{ userId }</c>: whom to add as a member or an admin.</summary>
    public static string UserId(FieldReader body)
    {
        var userId = body.RequiredString("userId", TextRule.UserId);
        body.ThrowIfInvalid();
        return userId;
    }
}
