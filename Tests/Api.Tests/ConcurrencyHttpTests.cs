using System.Net;
using System.Text.Json;

namespace AdWallet.Api.Tests;

/// <summary>Many requests at once on one wallet, through HTTP: nothing lost, nothing doubled.</summary>
public sealed class ConcurrencyHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    [Fact]
    public async Task A_thousand_concurrent_charges_end_with_the_exact_balance_and_ledger()
    {
        const int Charges = 1_000;
        var (master, probe) = ConcurrencyProbe.ClientFor(platform, $"busy_{Guid.NewGuid():N}");
        using var _ = master;
        var walletId = await master.CreateBusinessWallet("Busy");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var charging = Enumerable.Range(0, Charges).Select(async i =>
        {
            await start.Task;
            return await Answer.Of(master.Charge(walletId, 1_000 + i, $"charge-{i}"));
        }).ToArray();

        start.SetResult();
        var answers = await Task.WhenAll(charging);

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created && !a.Replayed, $"{a}"));
        Assert.True(probe.MaxInFlight >= 10, $"At most {probe.MaxInFlight} charges were in flight at once.");
        var expected = Enumerable.Range(0, Charges).Sum(i => 1_000L + i);
        Assert.Equal(1_499_500, expected);
        var ledger = await LedgerInvariant.AssertAddsUp(master, walletId, pageSize: 97);
        Assert.Equal(Charges, ledger.Count);
        Assert.Equal(expected, ledger.SumOfAmounts);
        Assert.Equal((0, expected, expected), (ledger.Free, ledger.Paid, ledger.Total));
        Assert.Equal(
            Enumerable.Range(0, Charges).Select(i => 1_000L + i),
            ledger.Entries.Select(e => e.GetProperty("amount").GetInt64()).Order());

        var charges = await master.GetAllPages($"/v1/wallets/{walletId}/charges");
        Assert.Equal(Charges, charges.Count);
        Assert.All(charges, c => Assert.Equal("succeeded", c.GetProperty("status").GetString()));
        Assert.Equal(Charges, charges.Select(c => c.GetProperty("id").GetString()).Distinct().Count());
        // Each ledger entry names its own charge.
        Assert.Equal(charges.Select(c => c.GetProperty("id").GetString()).Order(), ledger.Entries.Select(e => e.GetProperty("reference").GetString()).Order());
    }

    [Fact]
    public async Task Concurrent_refunds_never_return_more_than_the_charge()
    {
        using var master = platform.CreateClientFor($"refunds_{Guid.NewGuid():N}");
        var walletId = await master.CreateBusinessWallet("Refunds");
        var chargeId = await master.ChargeOk(walletId, 50_000);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refunding = Enumerable.Range(0, 20).Select(async i =>
        {
            await start.Task;
            return await Answer.Of(master.Refund(walletId, chargeId, 5_000, $"refund-{i}"));
        }).ToArray();

        start.SetResult();
        var answers = await Task.WhenAll(refunding);

        Assert.Equal(10, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            Assert.Equal("refund_exceeds_available", JsonDocument.Parse(a.Body).RootElement.GetProperty("code").GetString());
        });
        var ledger = await LedgerInvariant.AssertAddsUp(master, walletId);
        Assert.Equal((0L, 11L), (ledger.Total, ledger.Count));
        Assert.Equal(50_000, (await master.GetOk($"/v1/wallets/{walletId}/charges/{chargeId}")).GetProperty("refundedAmount").GetInt64());
    }

    [Fact]
    public async Task Concurrent_charges_by_master_member_and_channel_admin_all_count()
    {
        var memberId = $"member_{Guid.NewGuid():N}";
        var adminId = $"admin_{Guid.NewGuid():N}";
        using var master = platform.CreateClientFor($"master_{Guid.NewGuid():N}");
        using var member = platform.CreateClientFor(memberId);
        using var admin = platform.CreateClientFor(adminId);
        var walletId = await master.CreateBusinessWallet("Shared");
        await master.AddWalletMember(walletId, memberId);
        var channelId = await master.CreateChannel();
        await master.AddChannelAdmin(channelId, adminId);
        await master.ConnectWallet(channelId, walletId);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The same keys from different callers are different requests.
        var charging = new[] { master, member, admin }.SelectMany(client => Enumerable.Range(0, 50).Select(async i =>
        {
            await start.Task;
            return await Answer.Of(client.Charge(walletId, 1_000, $"charge-{i}"));
        })).ToArray();

        start.SetResult();
        var answers = await Task.WhenAll(charging);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Created, false), (a.Status, a.Replayed)));
        var ledger = await LedgerInvariant.AssertAddsUp(master, walletId);
        Assert.Equal((150_000L, 150L), (ledger.Total, ledger.Count));
    }
}
