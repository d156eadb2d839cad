using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Ad accounts and campaigns on the <see cref="Platform"/>: funded wallets, accounts, campaigns, participants, reminders.</summary>
internal static class Advertising
{
    public const long Funds = 1_000_000;

    public static IAdAccountGrain AdAccount(this Platform platform, string id) => platform.Grains.GetGrain<IAdAccountGrain>(id);

    public static ICampaignGrain Campaign(this Platform platform, string id) => platform.Grains.GetGrain<ICampaignGrain>(id);

    /// <summary>A business wallet of <see cref="Platform.Master"/> (with <see cref="Platform.Member"/>) holding money, so its accounts are ON.</summary>
    public static async Task<IWalletGrain> NewFundedWalletAsync(this Platform platform, long amount = Funds)
    {
        var wallet = await platform.NewWalletAsync();
        await wallet.Charge(As(Platform.Master), CardCharge(amount), Key());
        return wallet;
    }

    /// <summary>An ad account of <see cref="Platform.Master"/> on the wallet, with <see cref="Platform.Member"/> as a member.</summary>
    public static async Task<IAdAccountGrain> NewAdAccountAsync(this Platform platform, IWalletGrain wallet)
    {
        var account = platform.AdAccount(NewAccountId());
        await account.Create(As(Platform.Master), new CreateAdAccount("Brand ads", wallet.GetPrimaryKeyString()));
        await account.Invite(As(Platform.Master), Platform.Member);
        await account.AcceptInvitation(As(Platform.Member));
        return account;
    }

    /// <summary>A funded wallet, an account on it and a running campaign in the account.</summary>
    public static async Task<(IWalletGrain Wallet, IAdAccountGrain Account, ICampaignGrain Campaign)> NewRunningCampaignAsync(
        this Platform platform, CreateCampaign? command = null)
    {
        var wallet = await platform.NewFundedWalletAsync();
        var account = await platform.NewAdAccountAsync(wallet);
        var campaign = await platform.NewCampaignAsync(account, command);
        return (wallet, account, campaign);
    }

    public static async Task<ICampaignGrain> NewCampaignAsync(this Platform platform, IAdAccountGrain account, CreateCampaign? command = null, string creator = Platform.Master)
    {
        var view = await account.CreateCampaign(As(creator), command ?? Emoticon());
        return platform.Campaign(view.Id);
    }

    public static string NewAccountId() => $"acc_{Guid.NewGuid():N}";

    public static CreateCampaign Emoticon(long budget = 100_000, long price = 100, string kind = CampaignKinds.Emoticon,
        DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null) =>
        new("Spring emoticons", kind, budget, price, startsAt, endsAt, "crv_1");

    /// <summary>A user with a Korean phone number.</summary>
    public static Participation Participant(int n) => new($"user-{n}", $"+8210{n:D8}");

    public static async Task<DomainException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<DomainException>(call);

    /// <summary>The wallet's <c>use</c> entries, newest first: what campaigns settled.</summary>
    public static async Task<IReadOnlyList<TransactionView>> UsesAsync(this IWalletGrain wallet)
    {
        var all = new List<TransactionView>();
        string? cursor = null;
        do
        {
            var page = await wallet.ListTransactions(As(Platform.Master), TransactionKinds.Use, new PageRequest(PageRequest.MaxLimit, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    public static async Task<IReadOnlyList<string>> NotificationKindsAsync(this Platform platform, string userId) =>
        [.. (await platform.User(userId).ListNotifications(new PageRequest(PageRequest.MaxLimit))).Items.Select(n => n.Kind)];
}

/// <summary>A settlement hook that holds the first settlement to reach it until released: where a test stops the silo.</summary>
internal sealed class SettlementBlocker
{
    private int _calls;

    public TaskCompletionSource<SpendSettlement> Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task Hook(SpendSettlement settlement)
    {
        if (Interlocked.Increment(ref _calls) != 1) return;
        Reached.TrySetResult(settlement);
        await Release.Task;
    }
}
