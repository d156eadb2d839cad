using Granary.Hosting;
using Granary.Reminders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Granary.TestingHost;

/// <summary>
/// Silos in the test process, on a manual clock and over storage that outlives them, so a test can stop, kill and
/// restart silos and see what survives.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly TestClusterBuilder _builder;
    private readonly List<TestSilo> _silos = [];
    private int _nextSiloNumber;

    private TestCluster(TestClusterBuilder builder) => _builder = builder;

    public ManualTimeProvider Clock => _builder.Clock;

    public ReminderTickProbe ReminderTicks => _builder.ReminderTicks;

    public IReadOnlyList<TestSilo> Silos => _silos;

    /// <summary>The grain factory of the first running silo.</summary>
    public IGrainFactory GrainFactory => Primary.GrainFactory;

    public TestSilo Primary => _silos.FirstOrDefault() ?? throw new InvalidOperationException("No silo is running.");

    public static async Task<TestCluster> StartAsync(Action<TestClusterBuilder> configure)
    {
        var builder = new TestClusterBuilder();
        configure(builder);
        var cluster = new TestCluster(builder);
        for (var i = 0; i < builder.InitialSilosCount; i++) await cluster.StartSiloAsync();
        return cluster;
    }

    public async Task<TestSilo> StartSiloAsync()
    {
        var name = $"silo-{++_nextSiloNumber}";
        var hostBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        hostBuilder.Configuration.AddInMemoryCollection(_builder.Configuration);
        hostBuilder.Services.AddSingleton<TimeProvider>(_builder.Clock);
        hostBuilder.Services.AddSingleton<IReminderTickListener>(_builder.ReminderTicks);
        foreach (var configure in _builder.ServiceConfigurations) configure(hostBuilder.Services);
        hostBuilder.UseGranary(silo =>
        {
            foreach (var assembly in _builder.GrainAssemblies) silo.AddGrains(assembly);
            if (_builder.UseSharedMemoryProviders)
            {
                silo.AddMemoryGrainStorage(storage: _builder.SharedStorage);
                silo.UseInMemoryReminderService(_builder.SharedReminders);
            }
            foreach (var configure in _builder.SiloConfigurations) configure(silo);
        });

        var host = hostBuilder.Build();
        await host.StartAsync();
        var silo = new TestSilo(name, host);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Stops a silo gracefully: its activations deactivate and write what they want to write.</summary>
    public async Task StopSiloAsync(TestSilo silo)
    {
        _silos.Remove(silo);
        await silo.Host.StopAsync();
        silo.Host.Dispose();
    }

    /// <summary>Stops a silo as a crash would: activations vanish without deactivating.</summary>
    public async Task KillSiloAsync(TestSilo silo)
    {
        _silos.Remove(silo);
        silo.Host.Services.GetRequiredService<Silo>().Kill();
        if (silo.Host is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        else
            silo.Host.Dispose();
    }

    /// <summary>Stops (or kills) a silo and starts a new one over the same storage.</summary>
    public async Task<TestSilo> RestartSiloAsync(TestSilo silo, bool graceful = true)
    {
        if (graceful)
            await StopSiloAsync(silo);
        else
            await KillSiloAsync(silo);
        return await StartSiloAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.ToArray()) await StopSiloAsync(silo);
    }
}

/// <summary>A silo of a <see cref="TestCluster"/>.</summary>
public sealed class TestSilo(string name, IHost host)
{
    public string Name { get; } = name;

    public IHost Host { get; } = host;

    public IServiceProvider Services => Host.Services;

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <summary>How many activations the silo holds now.</summary>
    public int ActivationCount => Services.GetRequiredService<SiloRuntime>().Catalog.Count;

    public override string ToString() => Name;
}
