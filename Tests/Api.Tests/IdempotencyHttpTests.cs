using System.Net;
using System.Text.Json;
using AdWallet.Grains.Payments;
using Microsoft.Extensions.DependencyInjection;

namespace AdWallet.Api.Tests;

/// <summary>
/// The API's idempotency (docs/api.md) over HTTP, for a charge, a declined charge, a refund and a free-cash grant: a replay answers
/// the original status and body with <c>Idempotent-Replayed: true</c> and changes nothing; the same key with another
/// body is 422 <c>idempotency_key_reused</c>; concurrent requests with one key make one operation.
/// </summary>
public sealed class IdempotencyHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    public static TheoryData<MoneyOperation> Operations() => [.. Enum.GetValues<MoneyOperation>()];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_replay_answers_the_same_status_and_body_marked_replayed_and_changes_nothing(MoneyOperation operation)
    {
        var subject = await MoneyRequestCase.Prepare(platform, operation);
        using var caller = subject.Caller(platform);
        using var viewer = subject.Viewer(platform);
        var initial = await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);

        var first = await Answer.Of(subject.Send(caller, "key-1"));
        var afterFirst = await Snapshot.OfWallet(viewer, subject.WalletId);
        var replay = await Answer.Of(subject.Send(caller, "key-1"));
        var secondReplay = await Answer.Of(subject.Send(caller, "key-1"));

        Assert.Equal(subject.Status, first.Status);
        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.True(replay.SameAs(first), $"The replay answered {replay}, the original {first}.");
        Assert.True(secondReplay.Replayed && secondReplay.SameAs(first));
        Assert.Equal(afterFirst, await Snapshot.OfWallet(viewer, subject.WalletId));
        var ledger = await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);
        Assert.Equal(initial.Total + subject.BalanceChange, ledger.Total);
        Assert.Equal(initial.Count + subject.NewEntries, ledger.Count);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_replay_after_later_activity_still_answers_the_original(MoneyOperation operation)
    {
        var subject = await MoneyRequestCase.Prepare(platform, operation);
        using var caller = subject.Caller(platform);
        using var viewer = subject.Viewer(platform);
        var first = await Answer.Of(subject.Send(caller, "key-1"));
        Assert.Equal(subject.Status, first.Status);

        // Other money moves on the wallet: a charge, a refund of it, and, for a charge, a refund of that very charge.
        var laterCharge = await viewer.ChargeOk(subject.WalletId, 7_000);
        await viewer.Refund(subject.WalletId, laterCharge, 2_000, "later-refund").Expect(HttpStatusCode.Created);
        if (operation == MoneyOperation.Charge)
        {
            var chargeId = JsonDocument.Parse(first.Body).RootElement.GetProperty("id").GetString()!;
            await viewer.Refund(subject.WalletId, chargeId, 1_000, "refund-of-first").Expect(HttpStatusCode.Created);
        }
        var before = await Snapshot.OfWallet(viewer, subject.WalletId);

        var replay = await Answer.Of(subject.Send(caller, "key-1"));

        Assert.True(replay.Replayed && replay.SameAs(first), $"The replay answered {replay}, the original {first}.");
        Assert.Equal(before, await Snapshot.OfWallet(viewer, subject.WalletId));
        await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_same_key_with_another_body_is_422_and_changes_nothing(MoneyOperation operation)
    {
        var subject = await MoneyRequestCase.Prepare(platform, operation);
        using var caller = subject.Caller(platform);
        using var viewer = subject.Viewer(platform);
        var first = await Answer.Of(subject.Send(caller, "key-1"));
        Assert.Equal(subject.Status, first.Status);
        var before = await Snapshot.OfWallet(viewer, subject.WalletId);

        using var reused = await subject.Send(caller, "key-1", subject.OtherBody);

        await ProblemAssert.IsProblem(reused, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.False(reused.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before, await Snapshot.OfWallet(viewer, subject.WalletId));
        // The key still answers its own request.
        var replay = await Answer.Of(subject.Send(caller, "key-1"));
        Assert.True(replay.Replayed && replay.SameAs(first));
        await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);
    }

    public static TheoryData<MoneyOperation, int> ConcurrentRequests()
    {
        var rows = new TheoryData<MoneyOperation, int>();
        foreach (var operation in Enum.GetValues<MoneyOperation>())
        {
            rows.Add(operation, 2);
            rows.Add(operation, 20);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(ConcurrentRequests))]
    public async Task Concurrent_requests_with_one_key_make_one_operation_and_the_others_are_replays(MoneyOperation operation, int requests)
    {
        var subject = await MoneyRequestCase.Prepare(platform, operation);
        using var viewer = subject.Viewer(platform);
        var (caller, probe) = ConcurrencyProbe.ClientFor(platform, operation == MoneyOperation.FreeCash ? subject.OperatorId : subject.MasterId,
            isOperator: operation == MoneyOperation.FreeCash);
        using var _ = caller;
        var initial = await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);
        var chargesBefore = (await viewer.GetAllPages($"/v1/wallets/{subject.WalletId}/charges")).Count;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sending = Enumerable.Range(0, requests).Select(async _ =>
        {
            await start.Task;
            return await Answer.Of(subject.Send(caller, "one-key"));
        }).ToArray();

        start.SetResult();
        var answers = await Task.WhenAll(sending);
        Assert.True(probe.MaxInFlight >= 2, $"The requests did not overlap: at most {probe.MaxInFlight} in flight at once.");

        var original = Assert.Single(answers, a => !a.Replayed);
        Assert.Equal(subject.Status, original.Status);
        Assert.All(answers, a => Assert.True(a.SameAs(original), $"{a} differs from {original}"));
        Assert.Equal(requests - 1, answers.Count(a => a.Replayed));
        var ledger = await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);
        Assert.Equal(initial.Total + subject.BalanceChange, ledger.Total);
        Assert.Equal(initial.Count + subject.NewEntries, ledger.Count);
        var charges = await viewer.GetAllPages($"/v1/wallets/{subject.WalletId}/charges");
        Assert.Equal(chargesBefore + subject.NewCharges, charges.Count);
        if (operation == MoneyOperation.Charge)
        {
            // The gateway captured the payment once, too.
            var chargeId = JsonDocument.Parse(original.Body).RootElement.GetProperty("id").GetString();
            var gateway = platform.Services.GetRequiredService<IPaymentGateway>();
            Assert.Single(await gateway.FindCapturesAsync($"{subject.WalletId}/{chargeId}"));
        }
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_caller_and_the_wallet()
    {
        var memberId = $"member_{Guid.NewGuid():N}";
        using var master = platform.CreateClientFor($"master_{Guid.NewGuid():N}");
        using var member = platform.CreateClientFor(memberId);
        var walletId = await master.CreateBusinessWallet();
        var otherWalletId = await master.CreateBusinessWallet();
        await master.AddWalletMember(walletId, memberId);

        var byMaster = await Answer.Of(master.Charge(walletId, 10_000, "shared-key"));
        var byMember = await Answer.Of(member.Charge(walletId, 10_000, "shared-key"));
        var onOtherWallet = await Answer.Of(master.Charge(otherWalletId, 10_000, "shared-key"));

        Assert.All([byMaster, byMember, onOtherWallet], a => Assert.Equal((HttpStatusCode.Created, false), (a.Status, a.Replayed)));
        Assert.NotEqual(byMaster.Body, byMember.Body);
        Assert.Equal(20_000, (await LedgerInvariant.AssertAddsUp(master, walletId)).Total);
        Assert.Equal(10_000, (await LedgerInvariant.AssertAddsUp(master, otherWalletId)).Total);
    }

    [Fact]
    public async Task A_key_refused_for_a_bad_body_is_not_used_up()
    {
        using var master = platform.CreateClientFor($"master_{Guid.NewGuid():N}");
        var walletId = await master.CreateBusinessWallet();

        using var bad = await master.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges", """{ "amount": 10000.5, "method": "phone", "termsAccepted": true }""", "k");
        using var terms = await master.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges", """{ "amount": 10000, "method": "phone", "termsAccepted": false }""", "k");
        var good = await Answer.Of(master.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/charges", """{ "amount": 10000, "method": "phone", "termsAccepted": true }""", "k"));

        await ProblemAssert.IsValidationProblem(bad, "amount");
        await ProblemAssert.IsProblem(terms, HttpStatusCode.UnprocessableEntity, "terms_not_accepted");
        Assert.Equal((HttpStatusCode.Created, false), (good.Status, good.Replayed));
        Assert.Equal(10_000, (await LedgerInvariant.AssertAddsUp(master, walletId)).Total);
    }
}

/// <summary>
/// Replays after a restart: the platform is stopped and a new one started on the same data folder and signing key
/// (the request hash is keyed by it), and the same keys answer as before without moving money again.
/// </summary>
public sealed class IdempotencyAfterRestartTests
{
    [Fact]
    public async Task A_charge_replayed_after_a_restart_answers_the_same_and_is_credited_once()
    {
        await using var platform = new RestartablePlatform();
        var subject = await MoneyRequestCase.Prepare(platform.Current, MoneyOperation.Charge);
        Answer first;
        using (var caller = subject.Caller(platform.Current))
            first = await Answer.Of(subject.Send(caller, "restart-key"));
        Assert.Equal((HttpStatusCode.Created, false), (first.Status, first.Replayed));

        await platform.RestartAsync();

        using var callerAfter = subject.Caller(platform.Current);
        using var viewer = subject.Viewer(platform.Current);
        var replay = await Answer.Of(subject.Send(callerAfter, "restart-key"));
        Assert.True(replay.Replayed, $"Expected a replay after the restart, got {replay}");
        Assert.True(replay.SameAs(first), $"The replay answered {replay}, the original {first}.");
        var ledger = await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);
        Assert.Equal(10_000, ledger.Total);
        Assert.Single(ledger.Entries);
        Assert.Single(await viewer.GetAllPages($"/v1/wallets/{subject.WalletId}/charges"));
    }

    [Fact]
    public async Task Every_money_request_replays_after_a_restart_and_a_reused_key_is_still_refused()
    {
        await using var platform = new RestartablePlatform();
        var subjects = new List<MoneyRequestCase>();
        var firsts = new List<Answer>();
        var snapshots = new List<string>();
        foreach (var operation in Enum.GetValues<MoneyOperation>())
        {
            var subject = await MoneyRequestCase.Prepare(platform.Current, operation);
            using var caller = subject.Caller(platform.Current);
            using var viewer = subject.Viewer(platform.Current);
            var first = await Answer.Of(subject.Send(caller, $"restart-{operation}"));
            Assert.Equal(subject.Status, first.Status);
            subjects.Add(subject);
            firsts.Add(first);
            snapshots.Add(await Snapshot.OfWallet(viewer, subject.WalletId));
        }

        await platform.RestartAsync();

        for (var i = 0; i < subjects.Count; i++)
        {
            var subject = subjects[i];
            using var caller = subject.Caller(platform.Current);
            using var viewer = subject.Viewer(platform.Current);
            var replay = await Answer.Of(subject.Send(caller, $"restart-{subject.Operation}"));
            using var reused = await subject.Send(caller, $"restart-{subject.Operation}", subject.OtherBody);

            Assert.True(replay.Replayed && replay.SameAs(firsts[i]), $"{subject.Operation}: the replay answered {replay}, the original {firsts[i]}.");
            await ProblemAssert.IsProblem(reused, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
            Assert.Equal(snapshots[i], await Snapshot.OfWallet(viewer, subject.WalletId));
            await LedgerInvariant.AssertAddsUp(viewer, subject.WalletId);
        }
    }
}
