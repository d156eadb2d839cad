using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// How fast the cluster declares a silo dead, measured: one of three silos frozen (SIGSTOP), then, with a replacement
/// joined, one of three killed (SIGKILL), under a load of charges. Each must be listed dead by <c>/v1/ops/cluster</c>
/// within <see cref="ProcessCluster.DetectionBound"/>, no other silo may be declared dead, the survivors must go on
/// serving the wallets, and every charge retried after an attempt without a definite answer is in the ledger once.
/// </summary>
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    private const int WalletCount = 12;
    private const int Concurrency = 6;

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan OperationBound = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan FollowUpBound = TimeSpan.FromSeconds(30);

    /// <summary>How long after a death the survivors may take to serve every wallet: the response timeout, and a margin.</summary>
    private static readonly TimeSpan SurvivorsServeBound = TimeSpan.FromSeconds(15);

    /// <summary>How long one look at <c>/v1/ops/cluster</c> may take while a silo is frozen; a slower one is looked at again.</summary>
    private static readonly TimeSpan LookTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_frozen_or_killed_silo_is_declared_dead_within_the_bound_and_the_survivors_serve_its_grains()
    {
        var server = PostgresEnvironment.RequireConnectionString();
        var run = Guid.NewGuid().ToString("N")[..8];
        var logFolder = Path.Combine(Path.GetTempPath(), $"adwallet-fd-{run}");
        Directory.CreateDirectory(logFolder);
        output.WriteLine($"Logs of the silos and the API: {logFolder}");

        ProcessCluster? cluster = null;
        try
        {
            var starting = Stopwatch.StartNew();
            cluster = await ProcessCluster.StartAsync(server, siloCount: 3, logFolder, StartBound);
            output.WriteLine($"Cluster of 3 silos and the API ready in {starting.Elapsed.TotalSeconds:0.0} s.");
            await RunAsync(cluster, run);
        }
        catch (Exception exception)
        {
            throw new ClusterTestFailure(
                $"{exception.Message}{Environment.NewLine}Logs of the silos and the API: {logFolder}{Environment.NewLine}{cluster?.DescribeLogs()}", exception);
        }
        finally
        {
            if (cluster is not null) await cluster.DisposeAsync();
        }
        Directory.Delete(logFolder, recursive: true);
    }

    private async Task RunAsync(ProcessCluster cluster, string run)
    {
        var sender = new RetryingSender(OperationBound);
        var charges = new ChargeBook();
        var advertisers = await Task.WhenAll(Enumerable.Range(0, WalletCount).Select(i => Advertisers.CreateAsync(cluster, sender, charges, run, i)));
        await cluster.WaitForSilosAsync(silos => silos.Where(s => s.Status == "active").All(s => s.Activations > 0), FollowUpBound,
            "every silo to report activations");

        var load = new ChargeLoad(sender, charges, advertisers, run);
        var loading = load.RunAsync(Concurrency);
        var victims = new List<SiloSeen>();
        try
        {
            await Waiting.Until(() => Task.FromResult(load.Answered), answered => answered >= 20, FollowUpBound, "20 charges of the load to be answered");

            var (frozen, frozenAfter) = await DetectAsync(cluster, "SIGSTOP", cluster.FreezeSilo);
            victims.Add(frozen);
            // The replacement starts now, and joins while the survivors are checked.
            var replacement = FreePorts.TakeSiloPorts(1)[0];
            cluster.StartSilo(replacement);
            await SurvivorsServeAsync(cluster, sender, advertisers, load, frozen, "frozen");
            // Woken, the frozen silo finds itself declared dead and stops: no zombie may write what a survivor now owns.
            var thawedAt = Stopwatch.StartNew();
            cluster.ThawSilo(frozen.Port);
            await Waiting.Until(() => Task.FromResult(cluster.HasExited(frozen.Port)), exited => exited, FollowUpBound,
                $"the thawed silo {frozen.Address} to stop, declared dead");
            output.WriteLine($"Thawed, the frozen silo stopped after {thawedAt.Elapsed.TotalSeconds:0.0} s.");

            await cluster.WaitForSilosAsync(silos => silos.Count(s => s.Status == "active") == 3, FollowUpBound, "a replacement silo to join: three active silos");

            var (killed, killedAfter) = await DetectAsync(cluster, "SIGKILL", cluster.KillSilo);
            victims.Add(killed);
            await SurvivorsServeAsync(cluster, sender, advertisers, load, killed, "killed");

            output.WriteLine($"Detection: frozen (SIGSTOP) silo listed dead after {frozenAfter.TotalSeconds:0.0} s, killed (SIGKILL) silo after {killedAfter.TotalSeconds:0.0} s "
                + $"(bound {ProcessCluster.DetectionBound.TotalSeconds:0} s).");
            Assert.True(frozenAfter <= ProcessCluster.DetectionBound, $"The frozen silo was declared dead after {frozenAfter.TotalSeconds:0.0} s.");
            Assert.True(killedAfter <= ProcessCluster.DetectionBound, $"The killed silo was declared dead after {killedAfter.TotalSeconds:0.0} s.");
        }
        finally
        {
            load.Stop();
            await loading.WaitAsync(OperationBound + OperationBound);
        }

        var failures = sender.Failures.ToList();
        output.WriteLine($"Load: {load.Answered} charges answered, {charges.AcknowledgedCount} acknowledged (with the setup charges); "
            + $"{load.RetriedKeys.Count} needed more than one attempt; failed attempts {failures.Count} "
            + $"({string.Join(", ", failures.GroupBy(f => f.Status?.ToString() ?? "no answer").Select(g => $"{g.Key}: {g.Count()}"))}).");
        Assert.True(load.Unexpected.IsEmpty, $"Answers the load should not have had:{Environment.NewLine}{string.Join(Environment.NewLine, load.Unexpected.Take(20))}");
        var serverErrors = failures.Where(f => f.Status == 500).ToList();
        Assert.True(serverErrors.Count == 0, $"The API answered 500:{Environment.NewLine}{string.Join(Environment.NewLine, serverErrors.Take(10))}");
        // The frozen silo held wallets: charges to them got no answer until it was declared dead, and were sent again with their key.
        Assert.True(!load.RetriedKeys.IsEmpty, "No charge was retried: the failures did not cut into the load, and the retries proved nothing.");

        // No false deaths: of the four silos (three, and the replacement of the frozen one), the victims are the only
        // dead ones, and the two others are active.
        var silos = await cluster.SilosAsync();
        var dead = silos.Where(s => s.Status == "dead").Select(s => s.Id).Order().ToList();
        Assert.True(dead.SequenceEqual(victims.Select(v => v.Id).Order()),
            $"Dead silos should be exactly the frozen and the killed ones ({string.Join(", ", victims.Select(v => v.Id))}): {string.Join(", ", silos)}");
        Assert.True(silos.Count == 4 && silos.Count(s => s.Status == "active") == 2, $"Four silos, two of them active, expected: {string.Join(", ", silos)}");

        // Every acknowledged charge is in the ledger once, with retried keys among them; the ledger sums to the balance.
        var violations = new List<string>();
        foreach (var owner in advertisers) violations.AddRange(await WalletInvariants.CheckAsync(sender, owner, charges));
        Assert.True(violations.Count == 0, $"Money after the failures:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    /// <summary>Signals the silo with the most activations; answers it and how long until <c>/v1/ops/cluster</c> listed it dead.</summary>
    private async Task<(SiloSeen Victim, TimeSpan After)> DetectAsync(ProcessCluster cluster, string signal, Action<int> send)
    {
        var silos = await cluster.SilosAsync();
        var victim = silos.Where(s => s.Status == "active").MaxBy(s => s.Activations)!;
        var clock = Stopwatch.StartNew();
        send(victim.Port);
        output.WriteLine($"{signal} {victim.Address} ({victim.Activations} of {silos.Sum(s => s.Activations)} activations) at {DateTimeOffset.Now:HH:mm:ss.fff}.");
        var seen = await cluster.WaitForSilosAsync(now => now.Any(s => s.Id == victim.Id && s.Status == "dead"), FollowUpBound,
            $"the API to list {victim.Address} as dead after {signal}", LookTimeout);
        var after = clock.Elapsed;
        output.WriteLine($"{signal}: listed dead after {after.TotalSeconds:0.0} s; {string.Join(", ", seen)}");
        return (victim, after);
    }

    /// <summary>
    /// After the death: every wallet (those the victim held among them) answers a read and takes a charge, and the load
    /// goes on being answered.
    /// </summary>
    private async Task SurvivorsServeAsync(ProcessCluster cluster, RetryingSender sender, Advertiser[] advertisers, ChargeLoad load, SiloSeen victim, string how)
    {
        var clock = Stopwatch.StartNew();
        var answeredAtDeath = load.Answered;
        await Task.WhenAll(advertisers.Select(async owner =>
        {
            var wallet = await sender.GetOk(owner.Client, $"/v1/wallets/{owner.WalletId}");
            if (wallet.Text("id") != owner.WalletId) throw new UnexpectedAnswerException($"GET wallet {owner.WalletId} answered {wallet.GetRawText()}");
        }));
        var readsTook = clock.Elapsed;
        // A call the client sent through the victim's gateway before it read the death (Gateway:GatewayListRefreshPeriod)
        // waits out the response timeout (10 s), and is then sent again to a survivor.
        Assert.True(readsTook <= SurvivorsServeBound,
            $"After the {how} silo {victim.Address} was declared dead, reading every wallet took {readsTook.TotalSeconds:0.0} s, more than {SurvivorsServeBound.TotalSeconds:0} s.");
        await Waiting.Until(() => Task.FromResult(load.Answered), answered => answered >= answeredAtDeath + 2 * advertisers.Length, FollowUpBound,
            $"the load to go on after the {how} silo {victim.Address} was declared dead");
        output.WriteLine($"After the {how} silo's death: all {advertisers.Length} wallets read in {readsTook.TotalSeconds:0.0} s, "
            + $"{2 * advertisers.Length} more charges answered in {clock.Elapsed.TotalSeconds:0.0} s; active silos: "
            + string.Join(", ", (await cluster.SilosAsync()).Where(s => s.Status == "active").Select(s => s.Address)));
    }
}
