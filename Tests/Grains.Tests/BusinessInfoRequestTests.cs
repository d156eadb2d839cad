using AdWallet.Grains.BusinessInfo;
using AdWallet.Grains.Channels;
using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

/// <summary>Seed 001: the wallet master requests a change of the business information; an operator approves or rejects it.</summary>
public sealed class BusinessInfoRequestTests
{
    private static readonly Caller Operator = Caller.Operator("op");

    [Fact]
    public async Task An_approved_request_changes_the_wallet_once_and_leaves_the_queue()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var requests = Requests(platform, wallet);

        var request = await requests.Request(As(Platform.Master), new BusinessInfoChange("9876543210", "Kim's Cafe"));

        Assert.Equal((BusinessInfoRequestStatuses.Pending, Platform.Master), (request.Status, request.RequestedBy));
        Assert.Equal("1234567890", (await wallet.Get(As(Platform.Master))).BusinessRegistrationNumber);
        Assert.Contains(await PendingAsync(platform), r => r.Id == request.Id);

        var approved = await requests.Decide(Operator, request.Id, approve: true);

        Assert.Equal((BusinessInfoRequestStatuses.Approved, "op"), (approved.Status, approved.DecidedBy));
        var view = await wallet.Get(As(Platform.Master));
        Assert.Equal(("9876543210", "Kim's Cafe"), (view.BusinessRegistrationNumber, view.BusinessName));
        Assert.DoesNotContain(await PendingAsync(platform), r => r.Id == request.Id);
        Assert.Equal([approved], (await requests.List(As(Platform.Master), new PageRequest())).Items);

        // A later request is approved; approving the first again changes nothing, and rejecting it is refused.
        var second = await requests.Request(As(Platform.Master), new BusinessInfoChange(null, "Kim's Bakery"));
        await requests.Decide(Operator, second.Id, approve: true);
        Assert.Equal(approved, await requests.Decide(Operator, request.Id, approve: true));
        Assert.Equal(ErrorCodes.BusinessInfoRequestDecided, (await Refused(() => requests.Decide(Operator, request.Id, approve: false))).Code);
        view = await wallet.Get(As(Platform.Master));
        Assert.Equal(("9876543210", "Kim's Bakery"), (view.BusinessRegistrationNumber, view.BusinessName));
    }

    [Fact]
    public async Task A_rejected_request_changes_nothing_and_cannot_be_approved()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var requests = Requests(platform, wallet);
        var request = await requests.Request(As(Platform.Master), new BusinessInfoChange("9876543210", null));

        Assert.Equal(ErrorCodes.BusinessInfoRequestPending,
            (await Refused(() => requests.Request(As(Platform.Master), new BusinessInfoChange("1111111111", null)))).Code);
        var rejected = await requests.Decide(Operator, request.Id, approve: false);

        Assert.Equal(BusinessInfoRequestStatuses.Rejected, rejected.Status);
        Assert.Equal(rejected, await requests.Decide(Operator, request.Id, approve: false));
        Assert.Equal(ErrorCodes.BusinessInfoRequestDecided, (await Refused(() => requests.Decide(Operator, request.Id, approve: true))).Code);
        Assert.Equal("1234567890", (await wallet.Get(As(Platform.Master))).BusinessRegistrationNumber);
        Assert.DoesNotContain(await PendingAsync(platform), r => r.Id == request.Id);
    }

    [Fact]
    public async Task Only_the_master_of_a_business_wallet_asks_and_only_operators_decide()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var channel = platform.Channel("chn_1");
        await channel.Create(As(Platform.Master), "Brand", ChannelTypes.Business);
        await channel.AddAdmin(As(Platform.Master), "admin");
        await channel.ConnectWallet(As(Platform.Master), wallet.GetPrimaryKeyString());
        var requests = Requests(platform, wallet);
        var change = new BusinessInfoChange("9876543210", null);

        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => requests.Request(As(Platform.Member), change))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => requests.Request(As("admin"), change))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => requests.Request(As(Platform.Outsider), change))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => requests.List(As(Platform.Member), new PageRequest()))).Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await Refused(() => requests.Request(As(Platform.Master), new BusinessInfoChange(null, null)))).Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await Refused(() => requests.Request(As(Platform.Master), new BusinessInfoChange("12345", null)))).Code);

        var request = await requests.Request(As(Platform.Master), change);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => requests.Decide(As(Platform.Master), request.Id, approve: true))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => requests.Decide(Operator, request.Id + "0", approve: true))).Code);

        var personal = await platform.NewWalletAsync(WalletKinds.Personal);
        Assert.Equal(ErrorCodes.BusinessWalletRequired,
            (await Refused(() => Requests(platform, personal).Request(As(Platform.Master), change))).Code);
    }

    [Fact]
    public async Task A_wallet_keeps_its_open_request_and_a_short_history()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var requests = Requests(platform, wallet);

        for (var i = 0; i < BusinessInfoRequestsState.RecentHistory + 3; i++)
        {
            var request = await requests.Request(As(Platform.Master), new BusinessInfoChange(null, $"Name {i}"));
            await requests.Decide(Operator, request.Id, approve: false);
        }
        var open = await requests.Request(As(Platform.Master), new BusinessInfoChange(null, "Last"));

        var listed = (await requests.List(As(Platform.Master), new PageRequest(Limit: 200))).Items;
        Assert.Equal(BusinessInfoRequestsState.RecentHistory + 1, listed.Count);
        Assert.Equal(open, listed[0]);
        Assert.Equal($"Name {BusinessInfoRequestsState.RecentHistory + 2}", listed[1].BusinessName);
    }

    [Fact]
    public void Request_ids_name_their_wallet_and_number()
    {
        var id = BusinessInfoRequestIds.For("wal_1-x", 12);

        Assert.True(BusinessInfoRequestIds.TryParse(id, out var walletId, out var number));
        Assert.Equal(("wal_1-x", 12L), (walletId, number));
        Assert.False(BusinessInfoRequestIds.TryParse("wal_1", out _, out _));
        Assert.False(BusinessInfoRequestIds.TryParse("wal_1-bir0", out _, out _));
        Assert.False(BusinessInfoRequestIds.TryParse("wal_1-bir01", out _, out _));
        Assert.False(BusinessInfoRequestIds.TryParse("-bir1", out _, out _));
    }

    private static IBusinessInfoRequestsGrain Requests(Platform platform, IWalletGrain wallet) =>
        platform.Grains.GetGrain<IBusinessInfoRequestsGrain>(wallet.GetPrimaryKeyString());

    private static async Task<IReadOnlyList<BusinessInfoRequestView>> PendingAsync(Platform platform) =>
        (await platform.Grains.GetGrain<IBusinessInfoReviewGrain>(BusinessInfoReview.Key).ListPending(new PageRequest(Limit: 200))).Items;

    private static async Task<DomainException> Refused(Func<Task> call) => await Assert.ThrowsAsync<DomainException>(call);
}
