namespace AdWallet.Grains.Campaigns;

/// <summary>
/// Participations: a user counts once, and spend never exceeds the budget. Between the checks and the
/// <see cref="ParticipationAccepted"/> event there is no await, so however many participations interleave, each one
/// sees the budget the ones before it left.
/// </summary>
public sealed partial class CampaignGrain
{
    private readonly Dictionary<string, Task<ParticipationResult>> _participationsInFlight = [];

    public async Task<ParticipationResult> Participate(Caller caller, Participation participation)
    {
        RequireAccess(caller);
        if (string.IsNullOrWhiteSpace(participation.UserId) || string.IsNullOrWhiteSpace(participation.Phone))
            throw new DomainException(ErrorCodes.ValidationFailed, "A participation names the user and their phone number.");

        // The same user again while their first participation is under way: its answer, charged once.
        if (_participationsInFlight.TryGetValue(participation.UserId, out var inFlight))
            return (await inFlight) with { Replayed = true };

        // Claimed before the participant is looked up in storage, so that no second one can start meanwhile.
        var outcome = new TaskCompletionSource<ParticipationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _participationsInFlight[participation.UserId] = outcome.Task;
        try
        {
            var answer = await ParticipateOnceAsync(participation);
            outcome.SetResult(answer);
            return answer;
        }
        catch (Exception exception)
        {
            outcome.SetException(exception);
            _ = outcome.Task.Exception; // observed here; a concurrent participation of the same user rethrows it
            throw;
        }
        finally
        {
            _participationsInFlight.Remove(participation.UserId);
        }
    }

    private async Task<ParticipationResult> ParticipateOnceAsync(Participation participation)
    {
        if (await campaign.ReadItemAsync<Participant>(CampaignState.ParticipantItems, participation.UserId) is { } participant)
        {
            // The first answer, once it is stored; nothing is charged again.
            await Commit();
            await EnsureSettleReminderAsync();
            return Answer(participant.Ordinal, replayed: true);
        }
        if (!CampaignRules.IsEligible(State.Kind, participation.Phone))
            throw new DomainException(ErrorCodes.OverseasNotEligible, "Users with an overseas phone number cannot take part in this campaign.");

        CatchUp();
        if (ParticipationRefusal() is { } refusal)
        {
            await Commit();
            throw refusal;
        }

        if (State.Remaining < State.Price) throw new InvalidOperationException($"Campaign {Id} would spend past its budget.");
        Raise(new ParticipationAccepted(Now, participation.UserId, State.Participations + 1));
        var answer = Answer(State.Participations, replayed: false);
        if (State.Remaining < State.Price) Raise(new CampaignEnded(Now, EndReasons.BudgetExhausted));

        // The settle reminder is in place before the answer: spend that is answered for is never left unsettled.
        await Task.WhenAll(Commit(), EnsureSettleReminderAsync());
        return answer;
    }

    private DomainException? ParticipationRefusal()
    {
        if (State.Phase == CampaignStatuses.Scheduled) return NotRunning("The campaign has not started yet.");
        if (State.IsEnded)
        {
            return State.EndReason == EndReasons.BudgetExhausted
                ? new DomainException(ErrorCodes.BudgetExhausted, "The campaign's budget is spent.")
                : NotRunning("The campaign has ended.");
        }
        if (!State.AccountOn) return new DomainException(ErrorCodes.AdAccountOff, "The ad account is OFF: the campaign is paused.");
        return null;
    }

    /// <summary>The answer the <paramref name="ordinal"/>-th participation got: the spend and the budget left right after it.</summary>
    private ParticipationResult Answer(long ordinal, bool replayed) =>
        new(Accepted: true, Spent: ordinal * State.Price, Remaining: State.Budget - ordinal * State.Price, Replayed: replayed);
}
