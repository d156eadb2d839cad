namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// Members (invited by the master, at most 99 counting pending invitations) and agencies (asking for rights, which the
/// master accepts or rejects). Only the master invites, removes and decides.
/// </summary>
public sealed partial class AdAccountGrain
{
    public async Task<InvitationView> Invite(Caller caller, string userId)
    {
        RequireMaster(caller, "Only the ad account master invites members.");
        if (string.IsNullOrWhiteSpace(userId)) throw new DomainException(ErrorCodes.ValidationFailed, "Name the user to invite.");
        if (userId == State.MasterId || State.MemberIds.Contains(userId)) return new InvitationView(Id, userId, InvitationStatuses.Accepted);
        if (State.InvitedUserIds.Contains(userId)) return new InvitationView(Id, userId, InvitationStatuses.Pending);
        if (State.MemberIds.Count + State.InvitedUserIds.Count >= AdAccountLimits.MaximumMembers)
        {
            throw new DomainException(ErrorCodes.MemberLimit,
                $"An ad account has at most {AdAccountLimits.MaximumMembers} members, counting pending invitations.");
        }

        State.InvitedUserIds.Add(userId);
        await account.WriteStateAsync();
        await NotifyAsync(userId, $"{Id}:invitation:{Now.UtcTicks}", "ad_account_invitation", "You were invited to an ad account",
            $"You were invited to join the ad account '{State.Name}'. Accept or decline the invitation.");
        return new InvitationView(Id, userId, InvitationStatuses.Pending);
    }

    public async Task<AdAccountView> AcceptInvitation(Caller caller)
    {
        // Accepting again is answered as the first time.
        if (IsMaster(caller) || (State.Exists && State.MemberIds.Contains(caller.UserId))) return View();
        RequireInvitation(caller);

        State.InvitedUserIds.Remove(caller.UserId);
        State.MemberIds.Add(caller.UserId);
        await account.WriteStateAsync();
        await User(caller.UserId).AddAdAccount(Id);
        await TellCampaignsAsync(access: true, status: false);
        return View();
    }

    public async Task<AdAccountView> RejectInvitation(Caller caller)
    {
        RequireInvitation(caller);
        State.InvitedUserIds.Remove(caller.UserId);
        await account.WriteStateAsync();
        return View();
    }

    /// <summary>Removes a member, withdraws a pending invitation, or takes an agency's rights away.</summary>
    public async Task RemoveMember(Caller caller, string userId)
    {
        RequireMaster(caller, "Only the ad account master removes members.");
        if (userId == State.MasterId) throw new DomainException(ErrorCodes.CannotRemoveMaster, "The ad account master cannot be removed.");
        var wasUser = IsUser(new Caller(userId));
        var removed = State.MemberIds.Remove(userId) | State.AgencyIds.Remove(userId) | State.InvitedUserIds.Remove(userId);
        if (!removed) throw DomainException.NotFound($"Member {userId}");

        await account.WriteStateAsync();
        if (!wasUser) return;
        await User(userId).RemoveAdAccount(Id);
        await TellCampaignsAsync(access: true, status: false);
    }

    public async Task<AgencyRequestView> RequestAgencyRights(Caller caller)
    {
        if (!State.Exists) throw DomainException.NotFound($"Ad account {Id}");
        if (IsMaster(caller) || State.MemberIds.Contains(caller.UserId))
            throw new DomainException(ErrorCodes.AlreadyExists, "You already use this ad account as its master or a member.");
        if (State.AgencyIds.Contains(caller.UserId)) return new AgencyRequestView(Id, caller.UserId, InvitationStatuses.Accepted);
        if (State.AgencyRequests.Contains(caller.UserId)) return new AgencyRequestView(Id, caller.UserId, InvitationStatuses.Pending);

        State.AgencyRequests.Add(caller.UserId);
        await account.WriteStateAsync();
        await NotifyAsync(State.MasterId, $"{Id}:agency-request:{caller.UserId}:{Now.UtcTicks}", "agency_rights_requested",
            "An agency asks for rights on your ad account", $"{caller.UserId} asks for agency rights on '{State.Name}'. Accept or reject the request.");
        return new AgencyRequestView(Id, caller.UserId, InvitationStatuses.Pending);
    }

    public async Task<AdAccountView> DecideAgencyRequest(Caller caller, string agencyId, bool accept)
    {
        RequireMaster(caller, "Only the ad account master accepts or rejects agency rights.");
        if (!State.AgencyRequests.Contains(agencyId))
        {
            // Deciding again as before is answered as the first time.
            if (accept && State.AgencyIds.Contains(agencyId)) return View();
            throw DomainException.NotFound($"Agency request of {agencyId}");
        }

        State.AgencyRequests.Remove(agencyId);
        if (accept) State.AgencyIds.Add(agencyId);
        await account.WriteStateAsync();
        if (accept)
        {
            await User(agencyId).AddAdAccount(Id);
            await TellCampaignsAsync(access: true, status: false);
        }
        await NotifyAsync(agencyId, $"{Id}:agency-decision:{Now.UtcTicks}", "agency_rights_decided",
            accept ? "Your agency rights were accepted" : "Your agency rights were rejected",
            accept ? $"You can now use the ad account '{State.Name}'." : $"The master of '{State.Name}' rejected your request.");
        return View();
    }

    /// <summary>Only the invited user; anyone else who can see the account is told there is no invitation, the rest nothing.</summary>
    private void RequireInvitation(Caller caller)
    {
        if (State.Exists && State.InvitedUserIds.Contains(caller.UserId)) return;
        if (!IsUser(caller)) throw DomainException.NotFound($"Ad account {Id}");
        throw new DomainException(ErrorCodes.NoInvitation, "You have no pending invitation to this ad account.");
    }
}
