using Orleans.Concurrency;
using AdWallet.Persistence;
using Orleans;
using Orleans.Runtime;
using Orleans.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AdWallet.Grains.Campaigns;

/// <summary>
/// A brand-emoticon campaign. Its state is the projection of its journal of <see cref="CampaignEvent"/>s: what it
/// spent is the participations it accepted, and what it settled is the settlements the wallet took.
/// </summary>
/// <remarks>
/// The grain is reentrant so that concurrent participations share commits (group commit). Every operation checks and
/// raises its events without awaiting in between, then awaits the commit; one that awaits something else checks again
/// afterwards. An answer is given only once the events behind it are stored. Time-driven changes (start, end) come
/// from reminders, and every request also raises what the clock already implies (<see cref="CatchUp"/>), so answers
/// are exact however late a reminder fires.
/// </remarks>
[Reentrant]
public sealed partial class CampaignGrain(
    [JournaledState("campaign")] IJournaledState<CampaignState, CampaignEvent> campaign,
    IOptions<BillingOptions> billingOptions,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain
{
    private const string ParticipationCategory = "participation";
    private const string SettlementCategory = "settlement";

    /// <summary>The last write started: awaiting it waits for everything raised so far, and fails if any of it failed.</summary>
    private Task _lastWrite = Task.CompletedTask;

    private CampaignState State => campaign.State;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!State.Exists) return;
        if (!State.IsEnded || State.Unsettled > 0) StartSettlementTimer();
        await RestoreRemindersAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // When the silo is stopping the wallet may be out of reach: the settle reminder then settles after the restart.
        if (State.Exists && State.Unsettled > 0) await SettleQuietlyAsync();
    }

    public async Task<CampaignView> Create(CampaignSetup setup)
    {
        if (State.Exists) throw new DomainException(ErrorCodes.AlreadyExists, $"Campaign {Id} already exists.");
        var command = setup.Command;
        CampaignRules.Validate(command, Now);
        var started = command.StartsAt is not { } startsAt || startsAt <= Now;

        Raise(new CampaignCreated(Now, setup.AdAccountId, setup.WalletId, command.Name, command.Kind, command.Budget,
            command.PricePerParticipation, command.StartsAt, command.EndsAt, command.CreativeId, setup.AccountOn,
            [.. setup.AccessUserIds.Distinct()], started));
        await Commit();
        StartSettlementTimer();
        if (State.Phase == CampaignStatuses.Scheduled) await ScheduleAtAsync(StartReminder, State.StartsAt!.Value);
        if (!State.IsEnded && State.EndsAt is { } endsAt) await ScheduleAtAsync(EndReminder, endsAt);
        return View();
    }

    public async Task<CampaignView> Get(Caller caller)
    {
        RequireAccess(caller);
        CatchUp();
        await Commit();
        return View();
    }

    public async Task<CampaignView> Update(Caller caller, UpdateCampaign command)
    {
        RequireAccess(caller);
        CatchUp();
        await RefuseIf(Refusal(() => CheckUpdate(command)));

        if (command.Name is { } name && name != State.Name) Raise(new CampaignRenamed(Now, name));
        if (command.Budget is { } budget && budget != State.Budget) Raise(new BudgetChanged(Now, budget));
        var endMoved = command.EndsAt is { } endsAt && endsAt != State.EndsAt;
        if (endMoved) Raise(new EndTimeChanged(Now, command.EndsAt!.Value));
        await Commit();
        if (endMoved && !State.IsEnded && State.EndsAt is { } end) await ScheduleAtAsync(EndReminder, end);
        return View();
    }

    public async Task<CampaignView> ReplaceCreative(Caller caller, string creativeId)
    {
        RequireAccess(caller);
        CatchUp();
        await RefuseIf(Refusal(() =>
        {
            CampaignRules.ValidateCreative(creativeId);
            if (State.IsEnded) throw NotRunning("The campaign has ended; its creative can no longer be replaced.");
        }));

        if (creativeId != State.CreativeId) Raise(new CreativeReplaced(Now, creativeId));
        await Commit();
        return View();
    }

    public async Task<CampaignView> Stop(Caller caller)
    {
        RequireAccess(caller);
        CatchUp();
        if (!State.IsEnded) Raise(new CampaignEnded(Now, EndReasons.Stopped));
        await Commit();
        await EndedAsync();
        return View();
    }

    public async Task SetAccess(IReadOnlyList<string> userIds)
    {
        // A campaign the ad account reserved but never created stays nothing.
        if (!State.Exists) return;
        string[] users = [.. userIds.Distinct()];
        if (!State.AccessUserIds.SetEquals(users)) Raise(new AccessChanged(Now, users));
        await Commit();
    }

    public async Task SetAccountOn(bool on)
    {
        if (!State.Exists) return;
        if (State.AccountOn != on) Raise(new AccountStatusChanged(Now, on));
        await Commit();
    }

    /// <summary>
    /// Raises what the clock (start and end times) and the budget already imply, so that no answer depends on when a
    /// reminder fires. Synchronous: callers check and raise in the same turn.
    /// </summary>
    private void CatchUp()
    {
        if (!State.Exists || State.IsEnded) return;
        if (State.Phase == CampaignStatuses.Scheduled && State.StartsAt <= Now) Raise(new CampaignStarted(Now));
        if (State.EndsAt <= Now)
            Raise(new CampaignEnded(Now, EndReasons.EndTime));
        else if (State.Phase == CampaignStatuses.Running && State.Remaining < State.Price)
            Raise(new CampaignEnded(Now, EndReasons.BudgetExhausted));
    }

    private void CheckUpdate(UpdateCampaign command)
    {
        if (command.Name is not null) CampaignRules.ValidateName(command.Name);
        if (command.Budget is { } budget && budget != State.Budget)
        {
            if (State.Phase != CampaignStatuses.Scheduled)
                throw new DomainException(ErrorCodes.BudgetLocked, "The budget cannot change once the campaign has started.");
            CampaignRules.ValidateMoney(budget, State.Price);
            if (budget < State.Spent)
                throw new DomainException(ErrorCodes.ValidationFailed, $"The budget cannot be below what was spent ({State.Spent:N0} won).");
        }
        if (command.EndsAt is { } endsAt && endsAt != State.EndsAt)
        {
            if (State.IsEnded) throw NotRunning("The campaign has ended; its end time can no longer change.");
            if (endsAt <= Now) throw new DomainException(ErrorCodes.ValidationFailed, "The end time must be in the future.");
            if (State.StartsAt is { } startsAt && endsAt <= startsAt)
                throw new DomainException(ErrorCodes.ValidationFailed, "The end time must come after the start time.");
        }
    }

    private void RequireAccess(Caller caller)
    {
        if (!State.Exists || !State.AccessUserIds.Contains(caller.UserId)) throw DomainException.NotFound($"Campaign {Id}");
    }

    private void Raise(CampaignEvent change) => campaign.Append(change, change switch
    {
        ParticipationAccepted => ParticipationCategory,
        SettlementStarted or SettlementCompleted => SettlementCategory,
        _ => null,
    });

    /// <summary>
    /// Stores what was raised, and completes once everything raised before is stored (failing if any of it could not
    /// be); then follows up on what changed: an ended campaign, or spend past the threshold, is settled.
    /// </summary>
    private async Task Commit()
    {
        if (campaign.PendingCount > 0) _lastWrite = campaign.WriteStateAsync();
        await _lastWrite;
        FollowUp();
    }

    /// <summary>Refuses once what <see cref="CatchUp"/> raised is stored: a refused call changes nothing else.</summary>
    private async Task RefuseIf(DomainException? refusal)
    {
        if (refusal is null) return;
        await Commit();
        throw refusal;
    }

    private static DomainException? Refusal(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (DomainException refusal)
        {
            return refusal;
        }
    }

    private static DomainException NotRunning(string message) => new(ErrorCodes.CampaignNotRunning, message);

    private CampaignView View() => new(
        Id,
        State.AdAccountId,
        State.Name,
        State.Kind,
        State.Budget,
        State.Price,
        State.Spent,
        State.Participations,
        State.Status,
        State.EndReason,
        State.StartsAt,
        State.EndsAt,
        State.CreativeId);
}
