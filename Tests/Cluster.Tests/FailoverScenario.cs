using System.Diagnostics;
using System.Net;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// The failover scenario on a started <see cref="ProcessCluster"/>: advertisers and campaigns, a mixed load of charges
/// and participations, a silo SIGKILLed once a third of the load is answered, and then the invariants.
/// </summary>
public sealed class FailoverScenario(ProcessCluster cluster, string run, Action<string> report)
{
    private const int WalletCount = 20;
    private const int LoadCampaignCount = 10;
    private const int ExhaustibleCampaignCount = 2;
    private const int ChargesPerWallet = 10;
    private const int UsersPerCampaign = 30;
    private const int TimedParticipations = 3;
    private const int Concurrency = 24;

    /// <summary>How long after the kill the timed campaigns end: the detection bound, so a survivor owns their reminders by then.</summary>
    private static readonly TimeSpan EndAfterKill = ProcessCluster.DetectionBound;

    private static readonly TimeSpan OperationBound = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan LoadBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FollowUpBound = TimeSpan.FromSeconds(30);

    private readonly RetryingSender _sender = new(OperationBound);
    private readonly ChargeBook _charges = new();
    private readonly ParticipationBook _participations = new();

    public async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        report($"Run {run}, seed {seed}.");

        var (advertisers, loadCampaigns, timedCampaigns) = await SetUpAsync();
        report($"Setup: {WalletCount} wallets and ad accounts, {LoadCampaignCount} load campaigns, {timedCampaigns.Length} timed campaigns, in {clock.Elapsed.TotalSeconds:0.0} s.");

        var load = new MixedLoad(_sender, _charges, _participations);
        foreach (var owner in advertisers) load.AddCharges(owner, run, ChargesPerWallet, random);
        foreach (var campaign in loadCampaigns) load.AddParticipations(campaign, UsersPerCampaign);
        load.Mark(load.Count / 3);
        var loadStarted = DateTimeOffset.UtcNow;
        var running = load.RunAsync(Concurrency, random);
        await load.MarkReached.WaitAsync(LoadBound);

        var (victim, killedAt, endsAt) = await KillTheBusiestSiloAsync(timedCampaigns);
        var finishedAtKill = load.Finished;
        await cluster.WaitForSilosAsync(silos => silos.Any(s => s.Id == victim.Id && s.Status == "dead"), FollowUpBound, $"the API to list {victim.Id} as dead",
            attemptTimeout: TimeSpan.FromSeconds(2));
        var deadAfter = DateTimeOffset.UtcNow - killedAt;
        report($"Detection: the killed silo was listed dead {deadAfter.TotalSeconds:0.0} s after SIGKILL.");
        await running.WaitAsync(LoadBound);
        ReportLoad(load, killedAt, finishedAtKill, deadAfter, DateTimeOffset.UtcNow - loadStarted);
        Assert.True(deadAfter <= ProcessCluster.DetectionBound,
            $"The killed silo was declared dead {deadAfter.TotalSeconds:0.0} s after SIGKILL, more than {ProcessCluster.DetectionBound.TotalSeconds:0} s.");
        Assert.True(load.Unexpected.IsEmpty, $"Answers the load should not have had:{Environment.NewLine}{string.Join(Environment.NewLine, load.Unexpected)}");
        AssertNoServerErrors();
        // Otherwise the test proved nothing about a failover: the kill must have cut into the load.
        Assert.True(finishedAtKill < load.Count, $"The load had finished ({finishedAtKill} operations) before the kill.");
        Assert.True(_sender.Failures.Any(f => f.At >= killedAt), "No request failed after the kill: the killed silo served none of the load.");

        await CheckMoneyAsync(advertisers, loadCampaigns, "after the load");
        await CheckTimedCampaignsEndedByTheirRemindersAsync(timedCampaigns, endsAt);
        await CheckLoadCampaignsSettleWhenStoppedAsync(loadCampaigns);
        await CheckMoneyAsync(advertisers, [], "after the settlements");
        await CheckTheGatewayAgreesAsync();

        var silos = await cluster.SilosAsync();
        Assert.Equal("dead", silos.Single(s => s.Id == victim.Id).Status);
        Assert.Equal(2, silos.Count(s => s.Status == "active"));
        AssertNoServerErrors();

        await RestartTheKilledSiloAsync(victim);
        report($"Total {clock.Elapsed.TotalSeconds:0.0} s (after the cluster started).");
    }

    private async Task<(Advertiser[] Advertisers, CampaignUnderTest[] LoadCampaigns, CampaignUnderTest[] TimedCampaigns)> SetUpAsync()
    {
        var advertisers = await Task.WhenAll(Enumerable.Range(0, WalletCount).Select(i => Advertisers.CreateAsync(cluster, _sender, _charges, run, i)));
        var loadCampaigns = await Task.WhenAll(advertisers.Take(LoadCampaignCount).Select(owner =>
        {
            var price = 500L + 100 * owner.Index;
            return owner.Index < LoadCampaignCount - ExhaustibleCampaignCount
                ? Advertisers.CreateCampaignAsync(_sender, owner, 1_000_000, price, CampaignRole.Load)
                : Advertisers.CreateCampaignAsync(_sender, owner, UsersPerCampaign / 3 * price, price, CampaignRole.Exhaustible);
        }));
        var timedCampaigns = await Task.WhenAll(advertisers.Skip(LoadCampaignCount).Select(owner =>
            Advertisers.CreateCampaignAsync(_sender, owner, 1_000_000, 700, CampaignRole.Timed)));
        await Task.WhenAll(timedCampaigns.Select(ParticipateBeforeTheLoadAsync));
        // Silos report their activation counts with their heartbeats: wait for counts that show where the grains are.
        await cluster.WaitForSilosAsync(silos => silos.Where(s => s.Status == "active").All(s => s.Activations > 0), FollowUpBound,
            "every silo to report activations");
        return (advertisers, loadCampaigns, timedCampaigns);
    }

    /// <summary>
    /// The gateway, a process of its own that outlived the kill, captured each charge once, however often and on
    /// whichever silo a client retried it; and the operators' reconciliation report finds the ledgers in agreement.
    /// </summary>
    private async Task CheckTheGatewayAgreesAsync()
    {
        var payments = await cluster.GatewayPaymentsAsync();
        var twice = payments.GroupBy(p => p.Text("orderId")).Where(order => order.Count() > 1).Select(order => order.Key).ToArray();
        Assert.True(twice.Length == 0, $"The gateway captured these charges more than once: {string.Join(", ", twice)}");
        Assert.True(payments.Count >= _charges.AcknowledgedCount, $"The gateway has {payments.Count} payments for {_charges.AcknowledgedCount} succeeded charges.");
        using var ops = cluster.ClientFor("ops", isOperator: true);
        var reconciliation = await Waiting.Until(() => _sender.GetOk(ops, "/v1/ops/reconciliation"), r => r.GetProperty("mismatches").GetArrayLength() == 0,
            FollowUpBound, "a reconciliation report with no mismatch", r => r.GetProperty("mismatches").ToString());
        report($"Gateway: {payments.Count} payments, one per charge; reconciliation found {reconciliation.GetProperty("wallets").GetArrayLength()} wallets in agreement.");
    }

    /// <summary>Every wallet's charges and ledger, and every given campaign's spend; all violations at once.</summary>
    private async Task CheckMoneyAsync(Advertiser[] advertisers, CampaignUnderTest[] campaigns, string when)
    {
        var violations = new List<string>();
        foreach (var owner in advertisers) violations.AddRange(await WalletInvariants.CheckAsync(_sender, owner, _charges));
        foreach (var campaign in campaigns)
            violations.AddRange(CampaignInvariants.Check(await _sender.GetOk(campaign.Owner.Client, $"/v1/campaigns/{campaign.Id}"), campaign, _participations));
        Assert.True(violations.Count == 0, $"Money {when}:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    /// <summary>A 503 is the API's "try again" while a silo is being declared dead; a 500 is a bug.</summary>
    private void AssertNoServerErrors()
    {
        var serverErrors = _sender.Failures.Where(failure => failure.Status == 500).ToList();
        Assert.True(serverErrors.Count == 0, $"The API answered 500:{Environment.NewLine}{string.Join(Environment.NewLine, serverErrors.Take(10))}");
    }

    private async Task ParticipateBeforeTheLoadAsync(CampaignUnderTest campaign)
    {
        for (var n = 0; n < TimedParticipations; n++)
        {
            var userId = $"early-{campaign.Owner.Index}-{n}";
            await _sender.SendAsync(campaign.Owner.Client, HttpMethod.Post, $"/v1/campaigns/{campaign.Id}/participations",
                $$"""{ "userId": "{{userId}}", "phone": "{{Advertisers.KoreanPhone(campaign.Owner.Index * 1000 + n)}}" }""").Expect(HttpStatusCode.Created);
            _participations.Accept(campaign.Id, userId);
        }
    }

    /// <summary>
    /// Moves the timed campaigns' end to shortly after the kill (their end reminders are stored now, by the silos that
    /// own them), then SIGKILLs the silo with the most activations.
    /// </summary>
    private async Task<(SiloSeen Victim, DateTimeOffset KilledAt, DateTimeOffset EndsAt)> KillTheBusiestSiloAsync(CampaignUnderTest[] timedCampaigns)
    {
        var now = DateTimeOffset.UtcNow;
        var endsAt = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero) + EndAfterKill + TimeSpan.FromSeconds(1);
        await Task.WhenAll(timedCampaigns.Select(campaign => _sender.SendAsync(campaign.Owner.Client, HttpMethod.Patch, $"/v1/campaigns/{campaign.Id}",
            $$"""{ "endsAt": "{{Advertisers.Iso(endsAt)}}" }""").Expect(HttpStatusCode.OK)));

        var silos = await cluster.SilosAsync();
        var victim = silos.Where(s => s.Status == "active").MaxBy(s => s.Activations)!;
        var killedAt = DateTimeOffset.UtcNow;
        cluster.KillSilo(victim.Port);
        report($"Killed {victim.Address} ({victim.Activations} of {silos.Sum(s => s.Activations)} activations) at {killedAt:HH:mm:ss.fff}; "
            + $"timed campaigns end at {endsAt:HH:mm:ss}.");
        return (victim, killedAt, endsAt);
    }

    /// <summary>
    /// Nothing calls a timed campaign after the kill, and spend settles only when a campaign ends: so its spend reaching
    /// the wallet shows that its end reminder fired, on a surviving silo for the campaigns the killed one held.
    /// </summary>
    private async Task CheckTimedCampaignsEndedByTheirRemindersAsync(CampaignUnderTest[] timedCampaigns, DateTimeOffset endsAt)
    {
        var bound = endsAt - DateTimeOffset.UtcNow + FollowUpBound;
        foreach (var campaign in timedCampaigns)
        {
            var expected = TimedParticipations * campaign.Price;
            await Waiting.Until(() => WalletInvariants.SettledFromAsync(_sender, campaign), settled => settled == expected, bound,
                $"timed campaign {campaign.Id} to end at {endsAt:HH:mm:ss} and settle {expected:N0} won to wallet {campaign.Owner.WalletId}");
        }
        var settledAfter = DateTimeOffset.UtcNow - endsAt;
        foreach (var campaign in timedCampaigns)
        {
            var seen = await _sender.GetOk(campaign.Owner.Client, $"/v1/campaigns/{campaign.Id}");
            Assert.True(seen.Text("status") == "ended" && seen.Text("endReason") == "end_time" && seen.Number("spent") == TimedParticipations * campaign.Price,
                $"Timed campaign {campaign.Id} after its end: {seen.GetRawText()}");
        }
        report($"Reminders: all {timedCampaigns.Length} timed campaigns ended and settled by {settledAfter.TotalSeconds:0.0} s after their end time.");
    }

    /// <summary>Stopping a campaign settles what it spent: the wallet then holds exactly its spend, however the failover cut its settlements.</summary>
    private async Task CheckLoadCampaignsSettleWhenStoppedAsync(CampaignUnderTest[] loadCampaigns)
    {
        foreach (var campaign in loadCampaigns)
        {
            var stopped = await _sender.SendAsync(campaign.Owner.Client, HttpMethod.Post, $"/v1/campaigns/{campaign.Id}/stop").Expect(HttpStatusCode.OK);
            var spent = stopped.Number("spent");
            Assert.Equal(_participations.AcceptedUsers(campaign.Id).Count * campaign.Price, spent);
            await Waiting.Until(() => WalletInvariants.SettledFromAsync(_sender, campaign), settled => settled == spent, FollowUpBound,
                $"stopped campaign {campaign.Id} to settle its spend of {spent:N0} won to wallet {campaign.Owner.WalletId}");
        }
    }

    private async Task RestartTheKilledSiloAsync(SiloSeen victim)
    {
        var restartedAt = DateTimeOffset.UtcNow;
        cluster.StartSilo(victim.Port);
        await cluster.WaitForSilosAsync(silos => silos.Any(s => s.Address == victim.Address && s.Id != victim.Id && s.Status == "active")
            && silos.Count(s => s.Status == "active") == 3, FollowUpBound, $"a new silo on {victim.Address} to join as active");
        report($"Rejoin: a silo restarted on {victim.Address} was active after {(DateTimeOffset.UtcNow - restartedAt).TotalSeconds:0.0} s.");
    }

    private void ReportLoad(MixedLoad load, DateTimeOffset killedAt, int finishedAtKill, TimeSpan deadAfter, TimeSpan loadTook)
    {
        var failures = _sender.Failures.ToList();
        var afterKill = failures.Where(f => f.At >= killedAt).ToList();
        var outage = afterKill.Count == 0 ? TimeSpan.Zero : afterKill.Max(f => f.At) - killedAt;
        var retried = load.Timings.Count(t => t.Attempts > 1);
        // A charge whose attempt got no definite answer may have committed: its retries, same key, must not charge twice (checked after).
        var retriedCharges = failures.Where(f => f.Request.Contains("/charges [", StringComparison.Ordinal)).Select(f => f.Request).Distinct().Count();
        var byOutcome = string.Join(", ", failures.GroupBy(f => f.Status?.ToString() ?? "no answer").Select(g => $"{g.Key}: {g.Count()}"));
        report($"Load: {load.Count} operations ({finishedAtKill} answered at the kill) in {loadTook.TotalSeconds:0.0} s by {Concurrency} clients; charges {_charges.AcknowledgedCount} acknowledged "
            + $"(with the setup charges), {_charges.DeclinedCount} declined; participations {_participations.AcceptedCount} acknowledged "
            + $"(with the timed campaigns'), {_participations.RefusedCount} refused (budget exhausted).");
        report($"Failover: declared dead {deadAfter.TotalSeconds:0.0} s after the kill; failed attempts {failures.Count} ({byOutcome}), "
            + $"the last {outage.TotalSeconds:0.0} s after the kill; {retried} operations retried ({retriedCharges} charges, each with its Idempotency-Key), the slowest took {load.Timings.Max(t => t.Took).TotalSeconds:0.0} s.");
    }
}
