using AdWallet.GatewaySimulator.Faults;

namespace AdWallet.Simulation.Tests;

/// <summary>The fault schedule: storage, gateway and silo faults chosen by the seed.</summary>
public sealed partial class SimulationRun
{
    private static readonly CaptureFault[] CaptureFaults = Enum.GetValues<CaptureFault>();

    /// <summary>Chooses this step's faults now (so the seed decides them) and returns what injects them while the step runs.</summary>
    private Task ChooseFaults()
    {
        var injections = new List<Func<Task>>();
        if (_random.NextDouble() < 0.35)
        {
            var faults = Enumerable.Range(0, 1 + _random.Next(4)).Select(_ => (StorageFault)_random.Next(3)).ToArray();
            injections.Add(() =>
            {
                foreach (var fault in faults)
                {
                    _world.StorageFaults.Enqueue(fault);
                    _report.Fault($"storage_{fault}");
                }
                Trace($"storage faults: {string.Join(", ", faults)}");
                return Task.CompletedTask;
            });
        }
        if (_random.NextDouble() < 0.35)
        {
            var faults = Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => CaptureFaults[_random.Next(CaptureFaults.Length)]).ToArray();
            var releaseAfter = TimeSpan.FromMilliseconds(_random.Next(100, 1_200));
            injections.Add(async () =>
            {
                _world.Gateway.Faults.EnqueueCaptures(faults);
                foreach (var fault in faults) _report.Fault($"gateway_{fault}");
                Trace($"gateway capture faults: {string.Join(", ", faults)}");
                // A held answer is released after a while, often after the platform stopped waiting for it.
                if (faults.Contains(CaptureFault.HoldAfterCapture))
                {
                    await Task.Delay(releaseAfter);
                    _world.Gateway.ReleaseHolds();
                }
            });
        }
        if (_random.NextDouble() < 0.15)
        {
            var standing = new StandingFaults(
                LatencyMs: _random.Next(3) == 0 ? _random.Next(1, 30) : 0,
                AnswerDelayMs: 600 + _random.Next(400),
                DuplicateWebhooks: _random.Next(2) == 0,
                DropWebhooks: _random.Next(4) == 0,
                WebhookDelayMs: _random.Next(3) == 0 ? _random.Next(1, 200) : 0);
            injections.Add(() =>
            {
                _world.Gateway.Faults.SetStanding(standing);
                _report.Fault("gateway_standing");
                Trace($"gateway standing faults: {standing}");
                return Task.CompletedTask;
            });
        }
        if (_random.NextDouble() < 0.03)
        {
            // The gateway stops: connections are refused until it starts again.
            var downFor = TimeSpan.FromMilliseconds(_random.Next(50, 500));
            injections.Add(async () =>
            {
                _report.Fault("gateway_down");
                Trace($"gateway down for {downFor.TotalMilliseconds} ms");
                await _world.Gateway.StopAsync();
                await Task.Delay(downFor);
                await _world.Gateway.StartAgainAsync();
            });
        }
        if (_settings.SiloFaults && _random.NextDouble() < 0.04)
        {
            var kind = _random.Next(3);
            var delay = TimeSpan.FromMilliseconds(_random.Next(0, 100));
            var victim = _random.Next(1_000);
            injections.Add(async () =>
            {
                await Task.Delay(delay);
                await SiloFaultAsync(kind, victim);
            });
        }
        return Task.WhenAll(injections.Select(injection => injection()));
    }

    /// <summary>Kills or stops a silo (never the last one, nor the first, which holds the test cluster's membership) and brings the cluster back to three.</summary>
    private async Task SiloFaultAsync(int kind, int victim)
    {
        var candidates = _world.Silos.Skip(1).ToList();
        if (kind == 2 || candidates.Count == 0)
        {
            _report.Fault("silo_added");
            Trace("silo added");
            await _world.AddSiloAsync();
            return;
        }
        var silo = candidates[victim % candidates.Count];
        if (kind == 0)
        {
            _report.Fault("silo_killed");
            Trace($"silo {silo.SiloAddress} killed");
            await _world.KillSiloAsync(silo);
        }
        else
        {
            _report.Fault("silo_stopped");
            Trace($"silo {silo.SiloAddress} stopped");
            await _world.StopSiloAsync(silo);
        }
        if (_world.Silos.Count < SimulationWorld.InitialSilos) await _world.AddSiloAsync();
    }
}
