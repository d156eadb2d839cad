using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Users;
using AdWallet.Grains.Wallets;
using Orleans;
using Orleans.Runtime;
using Orleans.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// An ad account: its master, members and agencies, the wallet that funds it, its status and its campaigns. It tells
/// its campaigns who may use them and whether the account is ON.
/// </summary>
/// <remarks>
/// Not reentrant: the account is small and not hot, and taking one request at a time keeps its checks and limits
/// simple (members, campaigns, the creation guard). Nothing it calls calls it back while it waits.
/// </remarks>
public sealed partial class AdAccountGrain(
    [PersistentState("adAccount")] IPersistentState<AdAccountState> account,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<AdAccountGrain> logger) : Grain, IAdAccountGrain, IRemindable
{
    private const int MaximumNameLength = 100;

    private AdAccountState State => account.State;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<AdAccountView> Create(Caller caller, CreateAdAccount command)
    {
        if (State.Exists) throw new DomainException(ErrorCodes.AlreadyExists, $"Ad account {Id} already exists.");
        if (string.IsNullOrWhiteSpace(command.Name) || command.Name.Length > MaximumNameLength)
            throw new DomainException(ErrorCodes.ValidationFailed, $"An ad account name is 1 to {MaximumNameLength} characters.");
        if (string.IsNullOrWhiteSpace(command.WalletId))
            throw new DomainException(ErrorCodes.ValidationFailed, "An ad account is linked to a wallet.");

        var wallet = GrainFactory.GetGrain<IWalletGrain>(command.WalletId);
        // Only the wallet's master and members create accounts on it; a creation it refuses is not counted.
        await wallet.Get(caller);
        // Counted before the wallet links the account, so a creation the guard refuses leaves nothing behind.
        await Guard(CreationGuards.ForAccounts(caller.UserId)).Check(caller.UserId);
        var funding = await wallet.AttachAdAccount(caller, Id);

        State.Exists = true;
        State.Name = command.Name;
        State.WalletId = command.WalletId;
        State.MasterId = caller.UserId;
        State.CreatedAt = Now;
        RecordFunding(funding);
        await account.WriteStateAsync();
        await User(caller.UserId).AddAdAccount(Id);
        return View();
    }

    public Task<AdAccountView> Get(Caller caller)
    {
        RequireUser(caller);
        return Task.FromResult(View());
    }

    public async Task<AdAccountView> SetStatus(Caller caller, bool on)
    {
        RequireMaster(caller, "Only the ad account master turns the account ON or OFF.");
        var wasOn = State.IsOn;
        if (State.SwitchedOn != on)
        {
            State.SwitchedOn = on;
            await account.WriteStateAsync();
        }
        if (State.IsOn != wasOn) await TellCampaignsAsync(access: false, status: true);
        return View();
    }

    public async Task SetFundingStatus(FundingStatus status)
    {
        // A wallet may have linked an account whose creation then failed: there is nothing to turn ON or OFF.
        if (!State.Exists) return;
        var wasOn = State.IsOn;
        var (on, offReason) = Funding(status);
        if (State.FundingOn != on || State.FundingOffReason != offReason)
        {
            RecordFunding(status);
            await account.WriteStateAsync();
        }
        if (State.IsOn != wasOn) await TellCampaignsAsync(access: false, status: true);
    }

    public async Task<CampaignView> CreateCampaign(Caller caller, CreateCampaign command)
    {
        RequireUser(caller);
        if (State.CampaignIds.Count >= AdAccountLimits.MaximumCampaigns)
            throw new DomainException(ErrorCodes.CampaignLimit, $"An ad account holds at most {AdAccountLimits.MaximumCampaigns} campaigns.");
        // The campaign's own rules, checked here too so that a campaign it would refuse does not count against the guard.
        CampaignRules.Validate(command, Now);
        await Guard(CreationGuards.ForCampaigns(Id)).Check(State.MasterId);

        // The id is stored before the campaign exists: a crash in between leaves an id that names nothing, never a
        // campaign this account does not know of (and so could not pause).
        var campaignId = $"cmp_{Guid.NewGuid():N}";
        State.CampaignIds.Add(campaignId);
        await account.WriteStateAsync();
        try
        {
            return await Campaign(campaignId).Create(new CampaignSetup(Id, State.WalletId, State.IsOn, State.Users, command));
        }
        catch (DomainException)
        {
            State.CampaignIds.Remove(campaignId);
            await account.WriteStateAsync();
            throw;
        }
    }

    private void RecordFunding(FundingStatus funding) => (State.FundingOn, State.FundingOffReason) = Funding(funding);

    /// <summary>What the wallet allows, with a reason exactly when it does not.</summary>
    private static (bool On, string? OffReason) Funding(FundingStatus funding) =>
        (funding.On, funding.On ? null : funding.OffReason ?? OffReasons.InsufficientBalance);

    public Task<bool> IsMember(string userId) =>
        Task.FromResult(State.Exists && (userId == State.MasterId || State.MemberIds.Contains(userId)));

    private bool IsMaster(Caller caller) => State.Exists && caller.UserId == State.MasterId;

    /// <summary>Master, member or accepted agency.</summary>
    private bool IsUser(Caller caller) =>
        IsMaster(caller) || (State.Exists && (State.MemberIds.Contains(caller.UserId) || State.AgencyIds.Contains(caller.UserId)));

    /// <summary>Master, members and agencies; anyone else is told the account does not exist.</summary>
    private void RequireUser(Caller caller)
    {
        if (!IsUser(caller)) throw DomainException.NotFound($"Ad account {Id}");
    }

    private void RequireMaster(Caller caller, string refusal)
    {
        RequireUser(caller);
        if (!IsMaster(caller)) throw DomainException.Forbidden(refusal);
    }

    private IUserGrain User(string userId) => GrainFactory.GetGrain<IUserGrain>(userId);

    private ICampaignGrain Campaign(string campaignId) => GrainFactory.GetGrain<ICampaignGrain>(campaignId);

    private ICreationGuardGrain Guard(string key) => GrainFactory.GetGrain<ICreationGuardGrain>(key);

    private async Task NotifyAsync(string userId, string notificationId, string kind, string subject, string message)
    {
        try
        {
            await User(userId).Notify(new Notification($"{notificationId}:{userId}", kind, subject, message));
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Notifying {UserId} of {Kind} on ad account {AdAccountId} failed", userId, kind, Id);
        }
    }

    private AdAccountView View() => new(
        Id,
        State.Name,
        State.WalletId,
        State.MasterId,
        [.. State.MemberIds],
        State.IsOn ? AdAccountStatuses.On : AdAccountStatuses.Off,
        State.OffReason,
        [.. State.CampaignIds],
        [.. State.AgencyIds],
        [.. State.InvitedUserIds]);
}
