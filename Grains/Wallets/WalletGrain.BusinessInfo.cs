using AdWallet.Grains.BusinessInfo;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// The wallet's side of business-information requests (seed 001): the master asks, an operator approves, and the
/// approval lands here. The requests themselves live in <see cref="IBusinessInfoRequestsGrain"/>.
/// </summary>
public sealed partial class WalletGrain
{
    public async Task<string> RequireBusinessInfoRequester(Caller caller)
    {
        await RequireMasterAsync(caller, "Only the wallet master can request a change of the business information.");
        return State.Kind;
    }

    public async Task ApplyBusinessInfo(long number, BusinessInfoChange change)
    {
        if (!State.Exists) throw DomainException.NotFound($"Wallet {Id}");
        if (number <= State.BusinessInfoRequestApplied) return;
        Raise(new BusinessInfoChanged(Now, number, change.BusinessRegistrationNumber, change.BusinessName));
        await Commit();
    }
}
