using Granary.Hosting;
using Granary.Membership;
using Granary.Messaging;
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

    /// <summary>The membership table the silos share when the builder's <see cref="TestClusterBuilder.UseClustering"/> is on.</summary>
    public MemoryMembershipTable Membership => _builder.SharedMembership;

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
            if (_builder.UseClustering)
            {
                silo.UseInMemoryClustering(_builder.SharedMembership);
                if (_builder.UseTcpTransport)
                {
                    silo.UseTcpTransport();
                }
                else
                {
                    silo.Services.AddSingleton(sp => new InProcessEndpoint(_builder.Network, sp));
                    silo.Services.AddSingleton<ISiloEndpoint>(sp => sp.GetRequiredService<InProcessEndpoint>());
                    silo.Services.AddSingleton<IRemoteCallSender>(sp => sp.GetRequiredService<InProcessEndpoint>());
                    silo.Services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<InProcessEndpoint>());
                }
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

    /// <summary>
    /// Lets <paramref name="duration"/> pass on the clock in steps of the heartbeat period, and after each step has every
    /// running silo write its heartbeat and read the membership table. Silos that were killed fall silent and are
    /// declared dead once the death timeout has passed; the others follow every change. Then every silo reads its
    /// reminders again.
    /// </summary>
    public async Task AdvanceMembershipAsync(TimeSpan duration)
    {
        var step = _silos.Count > 0 ? Primary.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterMembershipOptions>>().Value.IAmAlivePeriod : duration;
        for (var passed = TimeSpan.Zero; passed < duration; passed += step)
        {
            Clock.Advance(step < duration - passed ? step : duration - passed);
            await RefreshMembershipAsync();
        }
        foreach (var silo in _silos.ToArray())
        {
            if (silo.Services.GetService<Reminders.LocalReminderService>() is { } reminders) await reminders.RefreshAsync();
        }
    }

    /// <summary>Has every running silo write its heartbeat (if due) and read the membership table now, twice, so all views agree.</summary>
    public async Task RefreshMembershipAsync()
    {
        for (var round = 0; round < 2; round++)
        {
            foreach (var silo in _silos.ToArray())
            {
                if (silo.Services.GetService<ClusterMembershipService>() is { } membership) await membership.RefreshAsync();
            }
        }
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

    /// <summary>Whether the silo holds an activation of the grain now.</summary>
    public bool HasActivation(GrainId grainId) => Services.GetRequiredService<SiloRuntime>().Catalog.Activations.Any(a => a.GrainId == grainId);

    /// <summary>The silo's address in a cluster.</summary>
    public SiloAddress Address => Services.GetRequiredService<ClusterMembershipService>().LocalAddress;

    public override string ToString() => Name;
}
