using AdWallet.Grains.Campaigns;
using System.Net;
using System.Text.Json;
using static AdWallet.Api.Tests.AdvertisingCalls;

namespace AdWallet.Api.Tests;

/// <summary>
/// Ad accounts and campaigns through HTTP, against the real grains (docs/api.md "Ad accounts" and "Campaigns", docs/domain-rules.md):
/// members and agencies, status, budgets that stop themselves, participations that count a user once.
/// </summary>
public sealed class AdvertisingHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    private const string OverseasPhone = "+14155550123";

    private HttpClient ClientFor(string userId) => platform.CreateClientFor(userId);

    // ---- Ad accounts ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task An_ad_account_on_a_funded_wallet_is_on_and_its_creator_is_its_master()
    {
        var masterId = Advertiser.NewUserId();
        var memberId = Advertiser.NewUserId();
        using var master = ClientFor(masterId);
        using var walletMember = ClientFor(memberId);
        var walletId = await master.CreateBusinessWallet();
        await master.AddWalletMember(walletId, memberId);
        await master.ChargeOk(walletId, 10_000);

        using var created = await master.PostAdAccount(walletId, "Brand");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await created.ReadJson();
        var id = account.Text("id");
        Assert.Equal($"/v1/ad-accounts/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(("Brand", walletId, masterId, "on"), (account.Text("name"), account.Text("walletId"), account.Text("masterId"), account.Text("status")));
        Assert.Equal(JsonValueKind.Null, account.GetProperty("offReason").ValueKind);
        Assert.Empty(account.Strings("memberIds"));
        Assert.Empty(account.Strings("campaignIds"));
        Assert.Equal(account.GetRawText(), (await master.AdAccount(id)).GetRawText());
        Assert.Contains(id, await master.MyAdAccounts());

        // A member of the wallet creates one too, and is its master; the wallet's master is not in it.
        var theirs = await walletMember.PostAdAccount(walletId, "Theirs").Expect(HttpStatusCode.Created);
        Assert.Equal(memberId, theirs.Text("masterId"));
        await ProblemAssert.IsProblem(await master.GetAsync($"/v1/ad-accounts/{theirs.Text("id")}"), HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(theirs.Text("id"), await master.MyAdAccounts());
    }

    [Fact]
    public async Task An_ad_account_on_an_empty_wallet_is_off_until_the_wallet_is_charged()
    {
        using var advertiser = await Advertiser.CreateAsync(platform, charge: 0);
        var master = advertiser.Client;
        var account = await master.AdAccount(advertiser.AdAccountId);
        Assert.Equal(("off", "insufficient_balance"), (account.Text("status"), account.Text("offReason")));

        var campaignId = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        Assert.Equal("paused", (await master.Campaign(campaignId)).Text("status"));
        await ProblemAssert.IsProblem(await master.Participate(campaignId, "fan_1", KoreanPhone(1)), HttpStatusCode.Conflict, "ad_account_off");

        await master.ChargeOk(advertiser.WalletId, 10_000);

        account = await master.AdAccount(advertiser.AdAccountId);
        Assert.Equal("on", account.Text("status"));
        Assert.Equal(JsonValueKind.Null, account.GetProperty("offReason").ValueKind);
        Assert.Equal("running", (await master.Campaign(campaignId)).Text("status"));
        await master.Participate(campaignId, "fan_1", KoreanPhone(1)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_invited_user_sees_nothing_until_they_accept_and_then_uses_the_account_and_its_campaigns()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var accountId = advertiser.AdAccountId;
        var campaignId = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        var invitedId = Advertiser.NewUserId();
        using var invited = ClientFor(invitedId);

        var invitation = await master.Invite(accountId, invitedId).Expect(HttpStatusCode.Created);

        Assert.Equal((accountId, invitedId, "pending"), (invitation.Text("adAccountId"), invitation.Text("userId"), invitation.Text("status")));
        Assert.Equal([invitedId], (await master.AdAccount(accountId)).Strings("invitedUserIds"));
        Assert.Contains(await invited.Notifications(), n => n.Text("kind") == "ad_account_invitation");
        await ProblemAssert.IsProblem(await invited.GetAsync($"/v1/ad-accounts/{accountId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await invited.GetAsync($"/v1/campaigns/{campaignId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await invited.PostCampaign(accountId, CampaignBody(10_000, 100)), HttpStatusCode.NotFound, "not_found");
        // Inviting again while pending is answered as the first time.
        Assert.Equal("pending", (await master.Invite(accountId, invitedId).Expect(HttpStatusCode.Created)).Text("status"));

        var accepted = await invited.AcceptInvitation(accountId).Expect(HttpStatusCode.OK);

        Assert.Equal([invitedId], accepted.Strings("memberIds"));
        Assert.Empty(accepted.Strings("invitedUserIds"));
        Assert.Equal(accepted.GetRawText(), (await invited.AdAccount(accountId)).GetRawText());
        Assert.Contains(accountId, await invited.MyAdAccounts());
        Assert.Equal(campaignId, (await invited.Campaign(campaignId)).Text("id"));
        var theirs = await invited.CreateCampaign(accountId, CampaignBody(5_000, 100, name: "By the member"));
        Assert.Equal(accountId, theirs.Text("adAccountId"));
        // Accepting again is answered as the first time; inviting a member is answered "accepted".
        Assert.Equal([invitedId], (await invited.AcceptInvitation(accountId).Expect(HttpStatusCode.OK)).Strings("memberIds"));
        Assert.Equal("accepted", (await master.Invite(accountId, invitedId).Expect(HttpStatusCode.Created)).Text("status"));

        // Members may not do what only the master does.
        await ProblemAssert.IsProblem(await invited.Invite(accountId, Advertiser.NewUserId()), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblem(await invited.SetAdAccountStatus(accountId, "off"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblem(await invited.DeleteAsync($"/v1/ad-accounts/{accountId}/members/{advertiser.UserId}"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("on", (await master.AdAccount(accountId)).Text("status"));
    }

    [Fact]
    public async Task A_rejected_invitation_leaves_the_user_outside_and_cannot_be_answered_again()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var accountId = advertiser.AdAccountId;
        var userId = Advertiser.NewUserId();
        using var user = ClientFor(userId);
        await master.Invite(accountId, userId).Expect(HttpStatusCode.Created);

        var rejected = await user.RejectInvitation(accountId).Expect(HttpStatusCode.OK);

        Assert.Empty(rejected.Strings("memberIds"));
        Assert.Empty(rejected.Strings("invitedUserIds"));
        await ProblemAssert.IsProblem(await user.GetAsync($"/v1/ad-accounts/{accountId}"), HttpStatusCode.NotFound, "not_found");
        // Outside the account again: it does not exist for them.
        await ProblemAssert.IsProblem(await user.AcceptInvitation(accountId), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await user.RejectInvitation(accountId), HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(accountId, await user.MyAdAccounts());
        var account = await master.AdAccount(accountId);
        Assert.Empty(account.Strings("memberIds"));
        Assert.Empty(account.Strings("invitedUserIds"));
    }

    [Fact]
    public async Task A_removed_member_loses_the_account_and_its_campaigns_at_once()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var accountId = advertiser.AdAccountId;
        var campaignId = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        var memberId = Advertiser.NewUserId();
        using var member = ClientFor(memberId);
        await master.AddAdAccountMember(accountId, memberId, member);
        await member.Campaign(campaignId);

        await master.DeleteAsync($"/v1/ad-accounts/{accountId}/members/{memberId}").Expect(HttpStatusCode.NoContent);

        await ProblemAssert.IsProblem(await member.GetAsync($"/v1/ad-accounts/{accountId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await member.GetAsync($"/v1/campaigns/{campaignId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await member.Participate(campaignId, "fan_1", KoreanPhone(1)), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await member.PostCampaign(accountId, CampaignBody(10_000, 100)), HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(accountId, await member.MyAdAccounts());
        Assert.Empty((await master.AdAccount(accountId)).Strings("memberIds"));
        Assert.Equal(0, (await master.Campaign(campaignId)).Number("participations"));

        // Removing them again, or the master: refused, and nothing changes.
        await ProblemAssert.IsProblem(await master.DeleteAsync($"/v1/ad-accounts/{accountId}/members/{memberId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await master.DeleteAsync($"/v1/ad-accounts/{accountId}/members/{advertiser.UserId}"), HttpStatusCode.Conflict, "cannot_remove_master");
        Assert.Equal(advertiser.UserId, (await master.AdAccount(accountId)).Text("masterId"));

        // Removing a pending invitation withdraws it.
        var pendingId = Advertiser.NewUserId();
        using var pending = ClientFor(pendingId);
        await master.Invite(accountId, pendingId).Expect(HttpStatusCode.Created);
        await master.DeleteAsync($"/v1/ad-accounts/{accountId}/members/{pendingId}").Expect(HttpStatusCode.NoContent);
        await ProblemAssert.IsProblem(await pending.AcceptInvitation(accountId), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task The_hundredth_member_is_refused_with_member_limit_counting_pending_invitations()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var accountId = advertiser.AdAccountId;
        var users = Enumerable.Range(0, 100).Select(i => $"m{i:D3}_{Guid.NewGuid():N}"[..30]).ToArray();

        // 99 invitations, in batches (the account takes them one at a time anyway); ten of them accepted.
        foreach (var batch in users[..99].Chunk(10))
            await Task.WhenAll(batch.Select(u => master.Invite(accountId, u).Expect(HttpStatusCode.Created)));
        await Task.WhenAll(users[..10].Select(async u =>
        {
            using var member = ClientFor(u);
            await member.AcceptInvitation(accountId).Expect(HttpStatusCode.OK);
        }));
        var before = await master.AdAccount(accountId);
        Assert.Equal((10, 89), (before.Strings("memberIds").Count, before.Strings("invitedUserIds").Count));

        await ProblemAssert.IsProblem(await master.Invite(accountId, users[99]), HttpStatusCode.Conflict, "member_limit");

        Assert.Equal(before.GetRawText(), (await master.AdAccount(accountId)).GetRawText());
        // Those already in are answered as before, not refused.
        Assert.Equal("accepted", (await master.Invite(accountId, users[0]).Expect(HttpStatusCode.Created)).Text("status"));
        Assert.Equal("pending", (await master.Invite(accountId, users[98]).Expect(HttpStatusCode.Created)).Text("status"));

        // One leaves: there is room for the hundredth.
        await master.DeleteAsync($"/v1/ad-accounts/{accountId}/members/{users[0]}").Expect(HttpStatusCode.NoContent);
        Assert.Equal("pending", (await master.Invite(accountId, users[99]).Expect(HttpStatusCode.Created)).Text("status"));
        await ProblemAssert.IsProblem(await master.Invite(accountId, users[0]), HttpStatusCode.Conflict, "member_limit");
    }

    [Fact]
    public async Task An_agency_uses_the_account_once_the_master_accepts_its_request()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var accountId = advertiser.AdAccountId;
        var campaignId = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        var agencyId = Advertiser.NewUserId();
        var otherId = Advertiser.NewUserId();
        using var agency = ClientFor(agencyId);
        using var other = ClientFor(otherId);

        var request = await agency.RequestAgencyRights(accountId).Expect(HttpStatusCode.Created);
        Assert.Equal((accountId, agencyId, "pending"), (request.Text("adAccountId"), request.Text("agencyId"), request.Text("status")));
        Assert.Contains(await master.Notifications(), n => n.Text("kind") == "agency_rights_requested");
        await ProblemAssert.IsProblem(await agency.GetAsync($"/v1/ad-accounts/{accountId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await master.RequestAgencyRights(accountId), HttpStatusCode.Conflict, "already_exists");
        await ProblemAssert.IsProblem(await agency.RequestAgencyRights($"acc_{Guid.NewGuid():N}"), HttpStatusCode.NotFound, "not_found");

        var accepted = await master.PostAsync($"/v1/ad-accounts/{accountId}/agency-requests/{agencyId}/accept", null).Expect(HttpStatusCode.OK);

        Assert.Equal([agencyId], accepted.Strings("agencyIds"));
        Assert.Empty(accepted.Strings("memberIds"));
        Assert.Contains(await agency.Notifications(), n => n.Text("kind") == "agency_rights_decided");
        Assert.Contains(accountId, await agency.MyAdAccounts());
        await agency.AdAccount(accountId);
        await agency.Campaign(campaignId);
        await agency.Participate(campaignId, "fan_1", KoreanPhone(1)).Expect(HttpStatusCode.Created);
        await agency.CreateCampaign(accountId, CampaignBody(5_000, 100, name: "By the agency"));
        Assert.Equal("accepted", (await agency.RequestAgencyRights(accountId).Expect(HttpStatusCode.Created)).Text("status"));
        await ProblemAssert.IsProblem(await agency.Invite(accountId, otherId), HttpStatusCode.Forbidden, "forbidden");

        // Another agency is rejected: it stays outside, and the decision cannot be taken again.
        await other.RequestAgencyRights(accountId).Expect(HttpStatusCode.Created);
        var afterReject = await master.PostAsync($"/v1/ad-accounts/{accountId}/agency-requests/{otherId}/reject", null).Expect(HttpStatusCode.OK);
        Assert.Equal([agencyId], afterReject.Strings("agencyIds"));
        await ProblemAssert.IsProblem(await other.GetAsync($"/v1/ad-accounts/{accountId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await master.PostAsync($"/v1/ad-accounts/{accountId}/agency-requests/{otherId}/accept", null), HttpStatusCode.NotFound, "not_found");

        // The master takes the agency's rights away.
        await master.DeleteAsync($"/v1/ad-accounts/{accountId}/members/{agencyId}").Expect(HttpStatusCode.NoContent);
        await ProblemAssert.IsProblem(await agency.GetAsync($"/v1/campaigns/{campaignId}"), HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await master.AdAccount(accountId)).Strings("agencyIds"));
    }

    // ---- Campaigns -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_campaign_runs_at_once_and_a_user_counts_once()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;

        using var created = await master.PostCampaign(advertiser.AdAccountId, CampaignBody(100_000, 100, name: "Launch", creativeId: "creative_1"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var campaign = await created.ReadJson();
        var id = campaign.Text("id");
        Assert.Equal($"/v1/campaigns/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal((advertiser.AdAccountId, "Launch", "emoticon", "running", "creative_1"),
            (campaign.Text("adAccountId"), campaign.Text("name"), campaign.Text("kind"), campaign.Text("status"), campaign.Text("creativeId")));
        Assert.Equal((100_000L, 100L, 0L, 0L), (campaign.Number("budget"), campaign.Number("pricePerParticipation"), campaign.Number("spent"), campaign.Number("participations")));
        Assert.Equal(JsonValueKind.Null, campaign.GetProperty("endReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, campaign.GetProperty("startsAt").ValueKind);
        Assert.Equal(campaign.GetRawText(), (await master.Campaign(id)).GetRawText());
        Assert.Equal([id], (await master.AdAccount(advertiser.AdAccountId)).Strings("campaignIds"));

        using var first = await master.Participate(id, "fan_1", KoreanPhone(1));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstText = await first.Content.ReadAsStringAsync();
        var answer = JsonDocument.Parse(firstText).RootElement;
        Assert.True(answer.GetProperty("accepted").GetBoolean());
        Assert.Equal((100L, 99_900L), (answer.Number("spent"), answer.Number("remaining")));

        var second = await master.Participate(id, "fan_2", KoreanPhone(2)).Expect(HttpStatusCode.Created);
        Assert.Equal((200L, 99_800L), (second.Number("spent"), second.Number("remaining")));

        // The same user again, even with another phone: 200, the first answer word for word, nothing charged.
        using var again = await master.Participate(id, "fan_1", KoreanPhone(3));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(firstText, await again.Content.ReadAsStringAsync());

        campaign = await master.Campaign(id);
        Assert.Equal((2L, 200L, "running"), (campaign.Number("participations"), campaign.Number("spent"), campaign.Text("status")));
    }

    [Fact]
    public async Task An_overseas_phone_takes_part_only_in_a_coupon_campaign()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var emoticon = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        var coupon = await advertiser.CampaignOf(CampaignBody(10_000, 100, kind: "emoticon_coupon"));

        await ProblemAssert.IsProblem(await master.Participate(emoticon, "traveller", OverseasPhone), HttpStatusCode.UnprocessableEntity, "overseas_not_eligible");
        Assert.Equal((0L, 0L), ((await master.Campaign(emoticon)).Number("participations"), (await master.Campaign(emoticon)).Number("spent")));
        // Refused, not counted: the same user with a Korean number takes part.
        await master.Participate(emoticon, "traveller", KoreanPhone(1)).Expect(HttpStatusCode.Created);

        var answer = await master.Participate(coupon, "traveller", OverseasPhone).Expect(HttpStatusCode.Created);
        Assert.Equal(100, answer.Number("spent"));
        Assert.Equal("emoticon_coupon", (await master.Campaign(coupon)).Text("kind"));
    }

    [Fact]
    public async Task A_campaign_ends_with_budget_exhausted_when_the_budget_left_is_below_the_price()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var id = await advertiser.CampaignOf(CampaignBody(1_000, 300));

        var answers = new List<(long Spent, long Remaining)>();
        string? firstText = null;
        for (var i = 1; i <= 3; i++)
        {
            using var response = await master.Participate(id, $"fan_{i}", KoreanPhone(i));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Participation {i}: {(int)response.StatusCode} {text}");
            firstText ??= text;
            var answer = JsonDocument.Parse(text).RootElement;
            answers.Add((answer.Number("spent"), answer.Number("remaining")));
        }

        Assert.Equal([(300L, 700L), (600L, 400L), (900L, 100L)], answers);
        var campaign = await master.Campaign(id);
        Assert.Equal(("ended", "budget_exhausted", 900L, 3L), (campaign.Text("status"), campaign.Text("endReason"), campaign.Number("spent"), campaign.Number("participations")));

        // 100 left is below the price of 300: the API's budget_exhausted, and nothing is spent.
        await ProblemAssert.IsProblem(await master.Participate(id, "fan_4", KoreanPhone(4)), HttpStatusCode.Conflict, "budget_exhausted");
        // One who took part is still answered as the first time.
        using var again = await master.Participate(id, "fan_1", KoreanPhone(1));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(firstText, await again.Content.ReadAsStringAsync());
        // Stopping an ended campaign keeps why it ended; its creative can no longer change.
        Assert.Equal("budget_exhausted", (await master.PostAsync($"/v1/campaigns/{id}/stop", null).Expect(HttpStatusCode.OK)).Text("endReason"));
        await ProblemAssert.IsProblem(await master.SendJson(HttpMethod.Put, $"/v1/campaigns/{id}/creative", """{ "creativeId": "late" }"""), HttpStatusCode.Conflict, "campaign_not_running");
        Assert.Equal(campaign.GetRawText(), (await master.Campaign(id)).GetRawText());
    }

    [Fact]
    public async Task A_budget_that_covers_the_price_exactly_is_spent_to_the_last_won()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var id = await advertiser.CampaignOf(CampaignBody(900, 300));

        for (var i = 1; i <= 3; i++) await master.Participate(id, $"fan_{i}", KoreanPhone(i)).Expect(HttpStatusCode.Created);

        var campaign = await master.Campaign(id);
        Assert.Equal(("ended", "budget_exhausted", 900L), (campaign.Text("status"), campaign.Text("endReason"), campaign.Number("spent")));
        await ProblemAssert.IsProblem(await master.Participate(id, "fan_4", KoreanPhone(4)), HttpStatusCode.Conflict, "budget_exhausted");
    }

    [Fact]
    public async Task The_budget_is_locked_while_the_campaign_runs_and_the_rest_may_change()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var id = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        var before = await master.Campaign(id);

        await ProblemAssert.IsProblem(await master.SendJson(HttpMethod.Patch, $"/v1/campaigns/{id}", """{ "budget": 20000 }"""), HttpStatusCode.Conflict, "budget_locked");
        // Refused as a whole: the name given with it does not change either.
        await ProblemAssert.IsProblem(await master.SendJson(HttpMethod.Patch, $"/v1/campaigns/{id}", """{ "name": "Renamed", "budget": 20000 }"""), HttpStatusCode.Conflict, "budget_locked");
        Assert.Equal(before.GetRawText(), (await master.Campaign(id)).GetRawText());

        var endsAt = DateTimeOffset.UtcNow.AddDays(7);
        var patched = await master.SendJson(HttpMethod.Patch, $"/v1/campaigns/{id}", $$"""{ "name": "Renamed", "endsAt": "{{Iso(endsAt)}}" }""").Expect(HttpStatusCode.OK);

        Assert.Equal(("Renamed", 10_000L, "running"), (patched.Text("name"), patched.Number("budget"), patched.Text("status")));
        Assert.Equal(DateTimeOffset.Parse(Iso(endsAt)), patched.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal(patched.GetRawText(), (await master.Campaign(id)).GetRawText());
    }

    [Fact]
    public async Task A_scheduled_campaign_refuses_participations_and_takes_a_new_budget()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);

        var campaign = await master.CreateCampaign(advertiser.AdAccountId, CampaignBody(10_000, 100, startsAt: startsAt));
        var id = campaign.Text("id");

        Assert.Equal("scheduled", campaign.Text("status"));
        Assert.Equal(DateTimeOffset.Parse(Iso(startsAt)), campaign.GetProperty("startsAt").GetDateTimeOffset());
        await ProblemAssert.IsProblem(await master.Participate(id, "early_fan", KoreanPhone(1)), HttpStatusCode.Conflict, "campaign_not_running");
        Assert.Equal(0, (await master.Campaign(id)).Number("participations"));

        var patched = await master.SendJson(HttpMethod.Patch, $"/v1/campaigns/{id}", """{ "budget": 50000 }""").Expect(HttpStatusCode.OK);
        Assert.Equal((50_000L, "scheduled"), (patched.Number("budget"), patched.Text("status")));
        // Still the campaign's rules: the budget must cover one participation.
        await ProblemAssert.IsValidationProblem(await master.SendJson(HttpMethod.Patch, $"/v1/campaigns/{id}", """{ "budget": 99 }"""), only: false);
        Assert.Equal(50_000, (await master.Campaign(id)).Number("budget"));

        // A start time already past runs at once.
        var past = await master.CreateCampaign(advertiser.AdAccountId, CampaignBody(10_000, 100, startsAt: DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.Equal("running", past.Text("status"));
    }

    [Fact]
    public async Task The_creative_is_replaced_on_a_running_campaign()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var id = await advertiser.CampaignOf(CampaignBody(10_000, 100, creativeId: "creative_1"));
        await master.Participate(id, "fan_1", KoreanPhone(1)).Expect(HttpStatusCode.Created);

        var replaced = await master.SendJson(HttpMethod.Put, $"/v1/campaigns/{id}/creative", """{ "creativeId": "creative_2" }""").Expect(HttpStatusCode.OK);

        Assert.Equal(("creative_2", "running", 1L, 100L), (replaced.Text("creativeId"), replaced.Text("status"), replaced.Number("participations"), replaced.Number("spent")));
        Assert.Equal(replaced.GetRawText(), (await master.Campaign(id)).GetRawText());
        await master.Participate(id, "fan_2", KoreanPhone(2)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Stopping_ends_the_campaign_with_stopped()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var id = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        await master.Participate(id, "fan_1", KoreanPhone(1)).Expect(HttpStatusCode.Created);

        var stopped = await master.PostAsync($"/v1/campaigns/{id}/stop", null).Expect(HttpStatusCode.OK);

        Assert.Equal(("ended", "stopped", 100L), (stopped.Text("status"), stopped.Text("endReason"), stopped.Number("spent")));
        Assert.Equal(stopped.GetRawText(), (await master.Campaign(id)).GetRawText());
        await ProblemAssert.IsProblem(await master.Participate(id, "fan_2", KoreanPhone(2)), HttpStatusCode.Conflict, "campaign_not_running");
        await ProblemAssert.IsProblem(await master.SendJson(HttpMethod.Put, $"/v1/campaigns/{id}/creative", """{ "creativeId": "late" }"""), HttpStatusCode.Conflict, "campaign_not_running");
        Assert.Equal(stopped.GetRawText(), (await master.PostAsync($"/v1/campaigns/{id}/stop", null).Expect(HttpStatusCode.OK)).GetRawText());
        Assert.Contains(id, (await master.AdAccount(advertiser.AdAccountId)).Strings("campaignIds"));
    }

    [Fact]
    public async Task Turning_the_account_off_pauses_its_campaigns_and_on_resumes_them()
    {
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;
        var accountId = advertiser.AdAccountId;
        var id = await advertiser.CampaignOf(CampaignBody(10_000, 100));
        var memberId = Advertiser.NewUserId();
        using var member = ClientFor(memberId);
        await master.AddAdAccountMember(accountId, memberId, member);

        await ProblemAssert.IsProblem(await member.SetAdAccountStatus(accountId, "off"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("running", (await master.Campaign(id)).Text("status"));

        var off = await master.SetAdAccountStatus(accountId, "off").Expect(HttpStatusCode.OK);

        Assert.Equal(("off", "by_user"), (off.Text("status"), off.Text("offReason")));
        Assert.Equal("paused", (await member.Campaign(id)).Text("status"));
        await ProblemAssert.IsProblem(await member.Participate(id, "fan_1", KoreanPhone(1)), HttpStatusCode.Conflict, "ad_account_off");
        Assert.Equal(0, (await master.Campaign(id)).Number("participations"));
        var createdWhileOff = await member.CreateCampaign(accountId, CampaignBody(10_000, 100, name: "While off"));
        Assert.Equal("paused", createdWhileOff.Text("status"));
        Assert.Equal("off", (await master.SetAdAccountStatus(accountId, "off").Expect(HttpStatusCode.OK)).Text("status"));

        var on = await master.SetAdAccountStatus(accountId, "on").Expect(HttpStatusCode.OK);

        Assert.Equal("on", on.Text("status"));
        Assert.Equal(JsonValueKind.Null, on.GetProperty("offReason").ValueKind);
        Assert.Equal("running", (await master.Campaign(id)).Text("status"));
        Assert.Equal("running", (await master.Campaign(createdWhileOff.Text("id"))).Text("status"));
        await member.Participate(id, "fan_1", KoreanPhone(1)).Expect(HttpStatusCode.Created);
    }

    // ---- Wallet funding and account status -------------------------------------------------------------------------

    [Fact]
    public async Task Refunding_everything_turns_the_accounts_off()
    {
        // Without auto-pay an account spends only while its wallet's balance is positive (the wallet turns it OFF at 0).
        var masterId = Advertiser.NewUserId();
        using var master = ClientFor(masterId);
        var walletId = await master.CreateBusinessWallet();
        var chargeId = await master.ChargeOk(walletId, 10_000);
        var accountId = await master.CreateAdAccount(walletId);
        var campaignId = (await master.CreateCampaign(accountId, CampaignBody(100_000, 100))).Text("id");
        Assert.Equal("on", (await master.AdAccount(accountId)).Text("status"));

        await master.Refund(walletId, chargeId, null, "all").Expect(HttpStatusCode.Created);

        Assert.Equal(0, (await master.Balance(walletId)).Number("total"));
        var account = await master.AdAccount(accountId);
        Assert.True(account.Text("status") == "off" && account.Text("offReason") == "insufficient_balance",
            $"After refunding everything the wallet's balance is 0, yet its ad account is {account.Text("status")} ({account.Text("offReason") ?? "no reason"}): " +
            "its campaigns keep spending money the wallet no longer has.");
        await ProblemAssert.IsProblem(await master.Participate(campaignId, "fan_1", KoreanPhone(1)), HttpStatusCode.Conflict, "ad_account_off");
    }

    [Fact]
    public async Task Free_cash_on_an_empty_wallet_turns_its_accounts_on()
    {
        using var advertiser = await Advertiser.CreateAsync(platform, charge: 0);
        using var operatorClient = platform.CreateClientFor("ads_operator", isOperator: true);
        Assert.Equal("off", (await advertiser.Client.AdAccount(advertiser.AdAccountId)).Text("status"));

        await operatorClient.GrantFreeCash(advertiser.WalletId, ApiCalls.FreeCashBody(5_000), "grant").Expect(HttpStatusCode.Created);

        Assert.Equal(5_000, (await advertiser.Client.Balance(advertiser.WalletId)).Number("total"));
        var account = await advertiser.Client.AdAccount(advertiser.AdAccountId);
        Assert.True(account.Text("status") == "on",
            $"The wallet holds 5,000 won of free cash, yet its ad account is {account.Text("status")} ({account.Text("offReason") ?? "no reason"}).");
    }
}

/// <summary>A platform whose mass-creation guard warns past 3 creations an hour, shared by <see cref="CreationGuardHttpTests"/>.</summary>
public sealed class GuardedPlatform : IAsyncLifetime
{
    public const int MaxCreations = 3;

    public EmbeddedPlatform Platform { get; } = EmbeddedPlatform.WithSettings(("CreationGuard:MaxCreations", MaxCreations.ToString()));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>
/// The domain rules (docs/domain-rules.md): at most 200 campaigns an account, and mass creation of accounts or campaigns first earns the master a
/// warning (the creation past the limit is still made), and only then is refused (429 <c>creation_rate_limited</c>).
/// </summary>
public sealed class CreationGuardHttpTests(GuardedPlatform guarded) : IClassFixture<GuardedPlatform>
{
    private const string Warning = "mass_creation_warning";

    private EmbeddedPlatform Platform => guarded.Platform;

    private static async Task<int> Warnings(HttpClient client) => (await client.Notifications()).Count(n => n.Text("kind") == Warning);

    [Fact]
    public async Task Mass_creation_of_campaigns_warns_the_master_first_then_refuses()
    {
        using var advertiser = await Advertiser.CreateAsync(Platform);
        var master = advertiser.Client;
        var memberId = Advertiser.NewUserId();
        using var member = Platform.CreateClientFor(memberId);
        await master.AddAdAccountMember(advertiser.AdAccountId, memberId, member);

        for (var i = 0; i < GuardedPlatform.MaxCreations; i++)
            await member.CreateCampaign(advertiser.AdAccountId, CampaignBody(10_000, 100, name: $"C{i}"));
        Assert.Equal(0, await Warnings(master));

        // The first past the limit is made, and the account's master (not the member who made it) is warned.
        await member.CreateCampaign(advertiser.AdAccountId, CampaignBody(10_000, 100, name: "Past the limit"));
        Assert.Equal(1, await Warnings(master));
        Assert.Equal(0, await Warnings(member));
        var warning = (await master.Notifications()).First(n => n.Text("kind") == Warning);
        Assert.False(string.IsNullOrEmpty(warning.Text("subject")));

        // Then refused, whoever creates, and nothing is created.
        await ProblemAssert.IsProblem(await member.PostCampaign(advertiser.AdAccountId, CampaignBody(10_000, 100)), HttpStatusCode.TooManyRequests, "creation_rate_limited");
        await ProblemAssert.IsProblem(await master.PostCampaign(advertiser.AdAccountId, CampaignBody(10_000, 100)), HttpStatusCode.TooManyRequests, "creation_rate_limited");
        Assert.Equal(GuardedPlatform.MaxCreations + 1, (await master.AdAccount(advertiser.AdAccountId)).Strings("campaignIds").Count);
        Assert.Equal(1, await Warnings(master));
    }

    [Fact]
    public async Task Campaigns_the_account_refuses_do_not_count_against_the_guard()
    {
        using var advertiser = await Advertiser.CreateAsync(Platform);
        var master = advertiser.Client;

        for (var i = 0; i < GuardedPlatform.MaxCreations + 2; i++)
            await ProblemAssert.IsValidationProblem(await master.PostCampaign(advertiser.AdAccountId, CampaignBody(100, 300)), only: false);

        for (var i = 0; i < GuardedPlatform.MaxCreations; i++)
            await master.CreateCampaign(advertiser.AdAccountId, CampaignBody(10_000, 100, name: $"C{i}"));
        Assert.Equal(0, await Warnings(master));
    }

    [Fact]
    public async Task Mass_creation_of_ad_accounts_warns_the_creator_first_then_refuses()
    {
        var userId = Advertiser.NewUserId();
        using var user = Platform.CreateClientFor(userId);
        var walletId = await user.CreateBusinessWallet();

        for (var i = 0; i < GuardedPlatform.MaxCreations; i++) await user.CreateAdAccount(walletId, $"A{i}");
        Assert.Equal(0, await Warnings(user));

        await user.CreateAdAccount(walletId, "Past the limit");
        Assert.Equal(1, await Warnings(user));

        await ProblemAssert.IsProblem(await user.PostAdAccount(walletId, "Refused"), HttpStatusCode.TooManyRequests, "creation_rate_limited");
        Assert.Equal(GuardedPlatform.MaxCreations + 1, (await user.MyAdAccounts()).Count);
    }

    [Fact]
    public async Task Ad_accounts_the_wallet_refuses_do_not_count_against_the_guard()
    {
        // Trying wallets that are not yours creates nothing: it must not earn a warning, nor a refusal later.
        var userId = Advertiser.NewUserId();
        using var user = Platform.CreateClientFor(userId);
        using var stranger = Platform.CreateClientFor(Advertiser.NewUserId());
        var notTheirs = await stranger.CreateBusinessWallet();
        var walletId = await user.CreateBusinessWallet();

        for (var i = 0; i < GuardedPlatform.MaxCreations + 1; i++)
            await ProblemAssert.IsProblem(await user.PostAdAccount(notTheirs), HttpStatusCode.NotFound, "not_found");

        var warnings = (await user.Notifications()).Where(n => n.Text("kind") == Warning).Select(n => n.Text("message")).ToList();
        Assert.True(warnings.Count == 0,
            $"{GuardedPlatform.MaxCreations + 1} refused attempts created nothing, yet they earned a warning: {string.Join(" | ", warnings)}");
        using var created = await user.PostAdAccount(walletId);
        Assert.True(created.StatusCode == HttpStatusCode.Created,
            $"After {GuardedPlatform.MaxCreations + 1} refused attempts and no creation, creating an ad account answers {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
    }
}

/// <summary>The 201st campaign of an account, on a platform whose mass-creation guard lets 200 through.</summary>
public sealed class CampaignLimitHttpTests
{
    [Fact]
    public async Task The_201st_campaign_is_refused_with_campaign_limit()
    {
        await using var platform = EmbeddedPlatform.WithSettings(("CreationGuard:MaxCreations", "1000"));
        using var advertiser = await Advertiser.CreateAsync(platform);
        var master = advertiser.Client;

        // In batches: the account takes them one at a time anyway.
        foreach (var batch in Enumerable.Range(0, 200).Chunk(10))
            await Task.WhenAll(batch.Select(i => master.CreateCampaign(advertiser.AdAccountId, CampaignBody(1_000, 100, name: $"C{i}"))));
        var before = await master.AdAccount(advertiser.AdAccountId);
        Assert.Equal(200, before.Strings("campaignIds").Distinct().Count());

        await ProblemAssert.IsProblem(await master.PostCampaign(advertiser.AdAccountId, CampaignBody(1_000, 100, name: "C200")), HttpStatusCode.Conflict, "campaign_limit");

        Assert.Equal(before.GetRawText(), (await master.AdAccount(advertiser.AdAccountId)).GetRawText());
        Assert.DoesNotContain(await master.Notifications(), n => n.Text("kind") == "mass_creation_warning");
    }
}

/// <summary>
/// Money end to end over HTTP: spend accrues in the campaign and settles to the wallet as <c>use</c> entries. The
/// platform runs on a manual clock: nothing settles until the test moves it by the settlement interval, which fires
/// the campaign's grain timer; then it waits (bounded) for the entries to show.
/// </summary>
public sealed class CampaignSettlementHttpTests
{
    [Fact]
    public async Task Twenty_participations_at_100_settle_to_the_wallet_as_use_entries_and_the_ledger_adds_up()
    {
        await using var platform = EmbeddedPlatform.WithFakeTime();
        var time = platform.Time!;
        using var advertiser = await Advertiser.CreateAsync(platform, charge: 10_000);
        var master = advertiser.Client;
        var campaignId = await advertiser.CampaignOf(CampaignBody(100_000, 100));

        for (var i = 1; i <= 20; i++) await master.Participate(campaignId, $"fan_{i}", KoreanPhone(i)).Expect(HttpStatusCode.Created);
        // A repeat is answered as the first time and costs nothing.
        await master.Participate(campaignId, "fan_1", KoreanPhone(1)).Expect(HttpStatusCode.OK);
        Assert.Equal((20L, 2_000L), ((await master.Campaign(campaignId)).Number("participations"), (await master.Campaign(campaignId)).Number("spent")));
        // 2,000 is far below the settlement threshold: until the clock moves, nothing is settled.
        Assert.Empty(await master.GetAllPages($"/v1/wallets/{advertiser.WalletId}/transactions?kind=use"));

        time.Advance(BillingOptions.DefaultSettlementInterval);
        var uses = await Polling.Until(
            () => master.GetAllPages($"/v1/wallets/{advertiser.WalletId}/transactions?kind=use"),
            entries => entries.Sum(e => e.Number("amount")) <= -2_000,
            TimeSpan.FromSeconds(10),
            "the campaign's 2,000 won of spend to settle as use entries");

        Assert.Equal(-2_000, uses.Sum(e => e.Number("amount")));
        Assert.All(uses, e =>
        {
            Assert.Equal("use", e.Text("kind"));
            Assert.StartsWith(campaignId, e.Text("reference"));
            Assert.True(e.Number("amount") < 0 && e.Number("amount") % 100 == 0, $"A use entry of a campaign at 100 a participation: {e}");
        });
        var ledger = await LedgerInvariant.AssertAddsUp(master, advertiser.WalletId);
        Assert.Equal((0L, 8_000L, 8_000L), (ledger.Free, ledger.Paid, ledger.Total));
        Assert.Equal(10_000, ledger.Entries.Where(e => e.Text("kind") == "charge").Sum(e => e.Number("amount")));
        Assert.Equal(1 + uses.Count, ledger.Count);
        // Still funded: the account stays ON and the campaign runs.
        Assert.Equal("on", (await master.AdAccount(advertiser.AdAccountId)).Text("status"));
        Assert.Equal("running", (await master.Campaign(campaignId)).Text("status"));
    }
}
