using AdWallet.GatewaySimulator.Faults;
using AdWallet.Grains;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Users;
using AdWallet.Grains.Wallets;
using AdWallet.TestSupport;
using Orleans.TestingHost;

namespace AdWallet.Simulation.Tests;

/// <param name="Steps">How many steps: each runs a random batch of operations at once, then may inject faults.</param>
/// <param name="MaxOperationsPerStep">The most operations a step starts together.</param>
/// <param name="SiloFaults">Whether silos are killed, stopped and added.</param>
/// <param name="Storage">The providers the world runs on.</param>
public sealed record SimulationSettings(int Steps, int MaxOperationsPerStep = 24, bool SiloFaults = true, SimulationStorage Storage = SimulationStorage.Sqlite);

/// <summary>
/// One seed's simulation: a world, a workload and a fault schedule chosen by the seed, the answers every client got,
/// and the invariants checked after every step (where cheap) and at quiescence. Orleans schedules turns as it will,
/// so a seed repeats the operations and faults, not the interleaving.
/// </summary>
public sealed partial class SimulationRun
{
    private const string Operator = "ops";
    private static readonly string[] Masters = ["m0", "m1", "m2", "m3"];
    private static readonly string[] Members = ["e0", "e1"];

    private readonly Random _random;
    private readonly SimulationSettings _settings;
    private readonly SimulationWorld _world;
    private readonly SimulationReport _report;
    private readonly Expectations _told = new();
    private readonly List<Setup.Wallet> _wallets = [];
    private readonly List<Setup.Campaign> _campaigns = [];
    private readonly List<Task> _abandoned = [];
    private readonly DateTimeOffset _start;
    private int _keys;
    private int _step;

    private SimulationRun(int seed, SimulationSettings settings, SimulationWorld world)
    {
        _random = new Random(seed);
        _settings = settings;
        _world = world;
        _report = new SimulationReport(seed);
        _start = world.Clock.GetUtcNow();
    }

    private IGrainFactory Grains => _world.Grains;

    public static async Task<SimulationReport> RunAsync(int seed, SimulationSettings settings)
    {
        await using var world = await SimulationWorld.StartAsync(settings.Storage);
        var run = new SimulationRun(seed, settings, world);
        try
        {
            await run.SetUpAsync();
            for (run._step = 1; run._step <= settings.Steps; run._step++)
            {
                run._report.Steps = run._step;
                await run.StepAsync();
                await run.CheckCheapInvariantsAsync();
            }
            await run.QuiesceAsync();
            await run.CheckAllInvariantsAsync();
        }
        catch (SimulationFailure)
        {
            throw;
        }
        catch (Exception exception)
        {
            throw new SimulationFailure(run._report, $"the driver failed: {exception.GetType().Name}: {exception.Message}", exception);
        }
        finally
        {
            world.Gateway.ReleaseHolds();
            await Task.WhenAll(run._abandoned.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        return run._report;
    }

    private void Trace(string line) => _report.Trace($"[{_step}] {line}");

    private IdempotencyKey NewKey(string hash) => new($"k{Interlocked.Increment(ref _keys)}", hash);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private void Broken(string invariant) => throw new SimulationFailure(_report, invariant);

    // ---- the world's users, wallets, accounts and campaigns ----

    private static class Setup
    {
        public sealed record Wallet(string Id, string MasterId, IReadOnlyList<string> CardIds, long DailyLimit);

        public sealed record Campaign(string Id, string AdAccountId, string MasterId, string WalletId, long Budget, long Price);
    }

    private async Task SetUpAsync()
    {
        for (var i = 0; i < Masters.Length; i++)
        {
            var master = new Caller(Masters[i]);
            var id = $"wal_sim{i}";
            var wallet = Grains.GetGrain<IWalletGrain>(id);
            await wallet.Create(master, new CreateWallet($"Shop {i}", WalletKinds.Business, "1234567890"));
            foreach (var member in Members) await wallet.AddMember(master, member);
            var cards = new List<string>();
            foreach (var number in i % 2 == 0 ? [TestCards.Succeeding, TestCards.RegistersButDeclines] : new[] { TestCards.Succeeding })
                cards.Add((await wallet.AddCard(master, new AddCard(number, "12/30", CardKinds.Credit))).Id);
            var dailyLimit = 1_000_000L * (i + 1);
            await wallet.SetAutoPay(master, new AutoPaySettings(true, dailyLimit));
            _wallets.Add(new Setup.Wallet(id, Masters[i], cards, dailyLimit));
        }
        // Two accounts on the first two wallets, a few campaigns on each: participations at a high rate on few campaigns.
        for (var i = 0; i < 2; i++)
        {
            var master = new Caller(Masters[i]);
            var account = Grains.GetGrain<IAdAccountGrain>($"acc_sim{i}");
            await account.Create(master, new CreateAdAccount($"Account {i}", _wallets[i].Id));
            for (var c = 0; c < 2; c++)
            {
                var price = 100L * (1 + _random.Next(1, 20));
                var budget = price * _random.Next(200, 2_000);
                var view = await account.CreateCampaign(master, new CreateCampaign($"Emoticon {i}.{c}", CampaignKinds.Emoticon, budget, price));
                _campaigns.Add(new Setup.Campaign(view.Id, $"acc_sim{i}", Masters[i], _wallets[i].Id, budget, price));
            }
        }
        Trace($"set up {_wallets.Count} wallets, {_campaigns.Count} campaigns");
    }
}
