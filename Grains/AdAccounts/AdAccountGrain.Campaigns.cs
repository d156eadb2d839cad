using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.AdAccounts;

/// <summary>
/// Keeping campaigns in step with the account: who may use them, and whether the account is ON. A change that does
/// not reach every campaign is stored as out of date and sent again by a durable reminder until it does.
/// </summary>
public sealed partial class AdAccountGrain
{
    private const string CampaignSyncReminder = "campaign-sync";

    private static readonly TimeSpan MinimumRetryPeriod = TimeSpan.FromMinutes(1);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == CampaignSyncReminder && State.Exists && State.CampaignsOutOfDate)
        {
            // A failure leaves the reminder in place: it tries again next period.
            await SendToCampaignsAsync(access: true, status: true);
            State.CampaignsOutOfDate = false;
            await account.WriteStateAsync();
        }
        if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>Tells every campaign the account's users and/or its status; what fails is sent again later.</summary>
    private async Task TellCampaignsAsync(bool access, bool status)
    {
        try
        {
            await SendToCampaignsAsync(access, status);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Ad account {AdAccountId} could not reach all its campaigns; they are told again later", Id);
            State.CampaignsOutOfDate = true;
            await account.WriteStateAsync();
            var period = reminderOptions.Value.AtLeastMinimum(MinimumRetryPeriod);
            await this.RegisterOrUpdateReminder(CampaignSyncReminder, period, period);
        }
    }

    private async Task SendToCampaignsAsync(bool access, bool status)
    {
        var users = State.Users;
        var on = State.IsOn;
        await Task.WhenAll(State.CampaignIds.ToArray().Select(async campaignId =>
        {
            var campaign = Campaign(campaignId);
            if (access) await campaign.SetAccess(users);
            if (status) await campaign.SetAccountOn(on);
        }));
    }
}
