using AdWallet.Grains.Wallets;

namespace AdWallet.Api.Requests;

public static class WalletRequests
{
    public static CreateWallet CreateWallet(FieldReader body)
    {
        var command = new CreateWallet(
            body.RequiredString("name", TextRule.Name),
            body.RequiredEnum("kind", WalletKinds.All),
            body.OptionalString("businessRegistrationNumber", TextRule.BusinessRegistrationNumber),
            body.OptionalString("taxInvoiceEmail", TextRule.Email));
        if (command.Kind == WalletKinds.Business && !body.Has("businessRegistrationNumber"))
            body.Errors.Add("businessRegistrationNumber", "is required for a business wallet.");
        body.ThrowIfInvalid();
        return command;
    }

    public static UpdateWallet UpdateWallet(FieldReader body)
    {
        var command = new UpdateWallet(
            body.OptionalString("name", TextRule.Name),
            body.OptionalString("taxInvoiceEmail", TextRule.Email));
        body.ThrowIfInvalid();
        return command;
    }
}
