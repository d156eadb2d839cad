using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using static AdWallet.Grains.Tests.Advertising;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Ad accounts: who creates them, members and agencies, status, and the limits of DESIGN.md §5.</summary>
public sealed class AdAccountTests
{
    [Fact]
    public async Task Masters_and_members_of_the_wallet_create_accounts_and_outsiders_cannot()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewFundedWalletAsync();
        var walletId = wallet.GetPrimaryKeyString();
        var byMaster = platform.AdAccount(NewAccountId());
        var byMember = platform.AdAccount(NewAccountId());
        var byOutsider = platform.AdAccount(NewAccountId());

        var created = await byMaster.Create(As(Platform.Master), new CreateAdAccount("Brand ads", walletId));
        var memberCreated = await byMember.Create(As(Platform.Member), new CreateAdAccount("Member ads", walletId));
        var outsider = await RefusedAsync(() => byOutsider.Create(As(Platform.Outsider), new CreateAdAccount("Mine", walletId)));

        Assert.Equal((Platform.Master, walletId, AdAccountStatuses.On, (string?)null), (created.MasterId, created.WalletId, created.Status, created.OffReason));
        Assert.Equal(Platform.Member, memberCreated.MasterId);
        Assert.Equal(ErrorCodes.NotFound, outsider.Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => byOutsider.Get(As(Platform.Outsider)))).Code);
        Assert.Contains(created.Id, (await platform.User(Platform.Master).Get()).AdAccounts);
        Assert.Contains(memberCreated.Id, (await platform.User(Platform.Member).Get()).AdAccounts);
        Assert.Equal(ErrorCodes.AlreadyExists,
            (await RefusedAsync(() => byMaster.Create(As(Platform.Member), new CreateAdAccount("Again", walletId)))).Code);
        Assert.Equal(ErrorCodes.ValidationFailed,
            (await RefusedAsync(() => platform.AdAccount(NewAccountId()).Create(As(Platform.Master), new CreateAdAccount("", walletId)))).Code);
    }

    [Fact]
    public async Task An_account_on_a_wallet_without_money_is_off_until_the_wallet_says_otherwise()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var account = platform.AdAccount(NewAccountId());

        var created = await account.Create(As(Platform.Master), new CreateAdAccount("Brand ads", wallet.GetPrimaryKeyString()));
        await account.SetFundingStatus(FundingStatus.Funded);

        Assert.Equal((AdAccountStatuses.Off, OffReasons.InsufficientBalance), (created.Status, created.OffReason));
        var funded = await account.Get(As(Platform.Master));
        Assert.Equal((AdAccountStatuses.On, (string?)null), (funded.Status, funded.OffReason));
    }

    [Fact]
    public async Task Invitations_are_answered_by_the_invited_user_only()
    {
        await using var platform = await Platform.StartAsync();
        var account = await platform.NewAdAccountAsync(await platform.NewFundedWalletAsync());
        var id = account.GetPrimaryKeyString();

        var invitation = await account.Invite(As(Platform.Master), "alice");
        var again = await account.Invite(As(Platform.Master), "alice");
        Assert.Equal(("alice", InvitationStatuses.Pending), (invitation.UserId, invitation.Status));
        Assert.Equal(InvitationStatuses.Pending, again.Status);
        Assert.Equal(["alice"], (await account.Get(As(Platform.Master))).InvitedUserIds);
        Assert.Equal(["ad_account_invitation"], await platform.NotificationKindsAsync("alice"));
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.Get(As("alice")))).Code);
        // Someone not invited who cannot see the account is told it does not exist; a member, that there is no invitation.
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.AcceptInvitation(As("bob")))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.RejectInvitation(As(Platform.Outsider)))).Code);
        Assert.Equal(ErrorCodes.NoInvitation, (await RefusedAsync(() => account.RejectInvitation(As(Platform.Member)))).Code);

        var accepted = await account.AcceptInvitation(As("alice"));
        Assert.Equal([Platform.Member, "alice"], accepted.MemberIds);
        Assert.Empty(accepted.InvitedUserIds);
        Assert.Contains(id, (await platform.User("alice").Get()).AdAccounts);
        Assert.Equivalent(accepted, await account.AcceptInvitation(As("alice")), strict: true);
        Assert.Equal(InvitationStatuses.Accepted, (await account.Invite(As(Platform.Master), "alice")).Status);

        await account.Invite(As(Platform.Master), "carol");
        var rejected = await account.RejectInvitation(As("carol"));
        Assert.DoesNotContain("carol", rejected.InvitedUserIds.Concat(rejected.MemberIds));
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.AcceptInvitation(As("carol")))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.Get(As("carol")))).Code);

        await account.RemoveMember(As(Platform.Master), "alice");
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.Get(As("alice")))).Code);
        Assert.DoesNotContain(id, (await platform.User("alice").Get()).AdAccounts);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.RemoveMember(As(Platform.Master), "alice"))).Code);
        Assert.Equal(ErrorCodes.CannotRemoveMaster, (await RefusedAsync(() => account.RemoveMember(As(Platform.Master), Platform.Master))).Code);
    }

    [Fact]
    public async Task An_account_has_at_most_99_members_counting_pending_invitations()
    {
        await using var platform = await Platform.StartAsync();
        var account = await platform.NewAdAccountAsync(await platform.NewFundedWalletAsync());
        var master = As(Platform.Master);

        // Member is one of the 99 already.
        for (var i = 1; i < AdAccountLimits.MaximumMembers; i++) await account.Invite(master, $"user-{i}");
        var full = await RefusedAsync(() => account.Invite(master, "one-too-many"));
        Assert.Equal(ErrorCodes.MemberLimit, full.Code);
        Assert.Equal(InvitationStatuses.Pending, (await account.Invite(master, "user-1")).Status);

        for (var i = 1; i <= 10; i++) await account.AcceptInvitation(As($"user-{i}"));
        var view = await account.Get(master);
        Assert.Equal((11, 88), (view.MemberIds.Count, view.InvitedUserIds.Count));
        Assert.Equal(ErrorCodes.MemberLimit, (await RefusedAsync(() => account.Invite(master, "one-too-many"))).Code);

        await account.RejectInvitation(As("user-50"));
        Assert.Equal(InvitationStatuses.Pending, (await account.Invite(master, "one-too-many")).Status);
        await account.RemoveMember(master, "user-3");
        Assert.Equal(InvitationStatuses.Pending, (await account.Invite(master, "another")).Status);
        Assert.Equal(ErrorCodes.MemberLimit, (await RefusedAsync(() => account.Invite(master, "and-another"))).Code);
    }

    [Fact]
    public async Task Agencies_use_the_account_once_the_master_accepts_their_request()
    {
        await using var platform = await Platform.StartAsync();
        var account = await platform.NewAdAccountAsync(await platform.NewFundedWalletAsync());
        var campaign = await platform.NewCampaignAsync(account);
        var agency = As("agency");

        var request = await account.RequestAgencyRights(agency);
        Assert.Equal(InvitationStatuses.Pending, request.Status);
        Assert.Equal(InvitationStatuses.Pending, (await account.RequestAgencyRights(agency)).Status);
        Assert.Contains("agency_rights_requested", await platform.NotificationKindsAsync(Platform.Master));
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.Get(agency))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.CreateCampaign(agency, Emoticon()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => campaign.Get(agency))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await RefusedAsync(() => account.DecideAgencyRequest(As(Platform.Member), "agency", true))).Code);
        Assert.Equal(ErrorCodes.AlreadyExists, (await RefusedAsync(() => account.RequestAgencyRights(As(Platform.Member)))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => platform.AdAccount("acc_none").RequestAgencyRights(agency))).Code);

        var accepted = await account.DecideAgencyRequest(As(Platform.Master), "agency", accept: true);

        Assert.Equal(["agency"], accepted.AgencyIds);
        Assert.Equivalent(accepted, await account.Get(agency), strict: true);
        Assert.Equal(campaign.GetPrimaryKeyString(), (await campaign.Get(agency)).Id);
        Assert.True((await campaign.Participate(agency, Participant(1))).Accepted);
        var own = await account.CreateCampaign(agency, Emoticon());
        Assert.Equal(own, await platform.Campaign(own.Id).Get(As(Platform.Member)));
        Assert.Contains(account.GetPrimaryKeyString(), (await platform.User("agency").Get()).AdAccounts);
        Assert.Contains("agency_rights_decided", await platform.NotificationKindsAsync("agency"));
        Assert.Equal(ErrorCodes.Forbidden, (await RefusedAsync(() => account.Invite(agency, "friend"))).Code);

        await account.RequestAgencyRights(As("other-agency"));
        var rejected = await account.DecideAgencyRequest(As(Platform.Master), "other-agency", accept: false);
        Assert.Equal(["agency"], rejected.AgencyIds);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.DecideAgencyRequest(As(Platform.Master), "other-agency", true))).Code);

        // The master can take the rights back: the agency no longer sees the account or its campaigns.
        await account.RemoveMember(As(Platform.Master), "agency");
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => account.Get(agency))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(() => campaign.Get(agency))).Code);
    }

    [Fact]
    public async Task Members_cannot_do_what_only_the_master_may()
    {
        await using var platform = await Platform.StartAsync();
        var account = await platform.NewAdAccountAsync(await platform.NewFundedWalletAsync());
        await account.RequestAgencyRights(As("agency"));
        var member = As(Platform.Member);

        Func<Task>[] calls =
        [
            () => account.Invite(member, "friend"),
            () => account.RemoveMember(member, Platform.Member),
            () => account.RemoveMember(member, Platform.Master),
            () => account.DecideAgencyRequest(member, "agency", true),
            () => account.SetStatus(member, false),
        ];
        foreach (var call in calls)
            Assert.Equal(ErrorCodes.Forbidden, (await RefusedAsync(call)).Code);

        Assert.Equal(Platform.Master, (await account.Get(member)).MasterId);
        var campaign = await account.CreateCampaign(member, Emoticon());
        Assert.Equal(CampaignStatuses.Running, campaign.Status);
    }

    [Fact]
    public async Task Outsiders_are_told_the_account_and_its_campaigns_do_not_exist()
    {
        await using var platform = await Platform.StartAsync();
        var (_, account, campaign) = await platform.NewRunningCampaignAsync();
        var outsider = As(Platform.Outsider);

        Func<Task>[] calls =
        [
            () => account.Get(outsider),
            () => account.Invite(outsider, Platform.Outsider),
            () => account.RemoveMember(outsider, Platform.Member),
            () => account.DecideAgencyRequest(outsider, Platform.Outsider, true),
            () => account.SetStatus(outsider, false),
            () => account.CreateCampaign(outsider, Emoticon()),
            () => campaign.Get(outsider),
            () => campaign.Update(outsider, new UpdateCampaign(Name: "Mine")),
            () => campaign.ReplaceCreative(outsider, "crv_x"),
            () => campaign.Stop(outsider),
            () => campaign.Participate(outsider, Participant(1)),
        ];
        foreach (var call in calls)
            Assert.Equal(ErrorCodes.NotFound, (await RefusedAsync(call)).Code);
        Assert.Equal(CampaignStatuses.Running, (await campaign.Get(As(Platform.Master))).Status);
    }

    [Fact]
    public async Task The_master_switches_the_account_and_the_wallet_can_keep_it_off()
    {
        await using var platform = await Platform.StartAsync();
        var (_, account, campaign) = await platform.NewRunningCampaignAsync();
        var master = As(Platform.Master);

        var off = await account.SetStatus(master, false);
        Assert.Equal((AdAccountStatuses.Off, OffReasons.ByUser), (off.Status, off.OffReason));
        Assert.Equal(CampaignStatuses.Paused, (await campaign.Get(master)).Status);

        // The wallet runs out while the master has the account OFF: the master's reason shows first.
        await account.SetFundingStatus(new FundingStatus(false, OffReasons.InsufficientBalance));
        Assert.Equal(OffReasons.ByUser, (await account.Get(master)).OffReason);

        var stillOff = await account.SetStatus(master, true);
        Assert.Equal((AdAccountStatuses.Off, OffReasons.InsufficientBalance), (stillOff.Status, stillOff.OffReason));
        Assert.Equal(CampaignStatuses.Paused, (await campaign.Get(master)).Status);

        await account.SetFundingStatus(FundingStatus.Funded);
        var on = await account.Get(master);
        Assert.Equal((AdAccountStatuses.On, (string?)null), (on.Status, on.OffReason));
        Assert.Equal(CampaignStatuses.Running, (await campaign.Get(master)).Status);

        await account.SetFundingStatus(new FundingStatus(false, OffReasons.DailyLimit));
        Assert.Equal((AdAccountStatuses.Off, OffReasons.DailyLimit), ((await account.Get(master)).Status, (await account.Get(master)).OffReason));
    }

    [Fact]
    public async Task Creating_accounts_too_fast_earns_a_warning_first_and_a_refusal_only_after_it()
    {
        await using var platform = await Platform.StartAsync(b => b
            .Configure("CreationGuard:MaxCreations", "3")
            .Configure("CreationGuard:Window", "01:00:00"));
        var walletId = (await platform.NewFundedWalletAsync()).GetPrimaryKeyString();
        Task<AdAccountView> Create(string userId) => platform.AdAccount(NewAccountId()).Create(As(userId), new CreateAdAccount("Ads", walletId));
        async Task<int> Warnings(string userId) => (await platform.NotificationKindsAsync(userId)).Count(k => k == "mass_creation_warning");

        for (var i = 0; i < 3; i++) await Create(Platform.Master);
        Assert.Equal(0, await Warnings(Platform.Master));

        // The fourth within the hour is made, and the master is warned.
        await Create(Platform.Master);
        Assert.Equal(1, await Warnings(Platform.Master));

        var refused = await RefusedAsync(() => Create(Platform.Master));
        Assert.Equal(ErrorCodes.CreationRateLimited, refused.Code);
        Assert.Equal(4, (await platform.User(Platform.Master).Get()).AdAccounts.Count);
        // Each creator is counted alone.
        await Create(Platform.Member);

        platform.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(ErrorCodes.CreationRateLimited, (await RefusedAsync(() => Create(Platform.Master))).Code);

        // Once the window no longer holds the excess, creating is allowed again.
        platform.Clock.Advance(TimeSpan.FromMinutes(1));
        await Create(Platform.Master);
        Assert.Equal(5, (await platform.User(Platform.Master).Get()).AdAccounts.Count);
        Assert.Equal(1, await Warnings(Platform.Master));
    }

    [Fact]
    public async Task Creating_campaigns_too_fast_warns_the_account_master_first()
    {
        await using var platform = await Platform.StartAsync(b => b.Configure("CreationGuard:MaxCreations", "2"));
        var account = await platform.NewAdAccountAsync(await platform.NewFundedWalletAsync());
        var member = As(Platform.Member);

        await account.CreateCampaign(member, Emoticon());
        await account.CreateCampaign(member, Emoticon());
        Assert.DoesNotContain("mass_creation_warning", await platform.NotificationKindsAsync(Platform.Master));
        // A campaign the rules refuse does not count.
        Assert.Equal(ErrorCodes.ValidationFailed, (await RefusedAsync(() => account.CreateCampaign(member, Emoticon(budget: 50, price: 100)))).Code);

        await account.CreateCampaign(member, Emoticon());
        Assert.Contains("mass_creation_warning", await platform.NotificationKindsAsync(Platform.Master));
        Assert.DoesNotContain("mass_creation_warning", await platform.NotificationKindsAsync(Platform.Member));
        Assert.Equal(ErrorCodes.CreationRateLimited, (await RefusedAsync(() => account.CreateCampaign(As(Platform.Master), Emoticon()))).Code);
        Assert.Equal(3, (await account.Get(member)).CampaignIds.Count);

        platform.Clock.Advance(CreationGuardOptions.DefaultWindow);
        await account.CreateCampaign(member, Emoticon());
        Assert.Equal(4, (await account.Get(member)).CampaignIds.Count);
    }

    [Fact]
    public async Task An_account_holds_at_most_200_campaigns()
    {
        await using var platform = await Platform.StartAsync(b => b.Configure("CreationGuard:MaxCreations", "1000"));
        var account = await platform.NewAdAccountAsync(await platform.NewFundedWalletAsync());

        for (var i = 0; i < AdAccountLimits.MaximumCampaigns; i++) await account.CreateCampaign(As(Platform.Member), Emoticon());
        var refused = await RefusedAsync(() => account.CreateCampaign(As(Platform.Master), Emoticon()));

        Assert.Equal(ErrorCodes.CampaignLimit, refused.Code);
        var view = await account.Get(As(Platform.Master));
        Assert.Equal(AdAccountLimits.MaximumCampaigns, view.CampaignIds.Distinct().Count());
    }
}
