using System.Reflection;
using Granary.Hosting;
using Granary.Membership;
using Granary.Reminders;
using Granary.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.TestingHost;

/// <summary>Describes the silos a <see cref="TestCluster"/> starts. Every silo it starts is configured the same way.</summary>
public sealed class TestClusterBuilder
{
    internal List<Assembly> GrainAssemblies { get; } = [];

    internal List<Action<ISiloBuilder>> SiloConfigurations { get; } = [];

    internal List<Action<IServiceCollection>> ServiceConfigurations { get; } = [];

    internal Dictionary<string, string?> Configuration { get; } = [];

    /// <summary>How many silos start with the cluster.</summary>
    public int InitialSilosCount { get; set; } = 1;

    /// <summary>The clock of every silo.</summary>
    public ManualTimeProvider Clock { get; set; } = new();

    /// <summary>
    /// Silos use in-memory storage and reminders shared by the whole cluster (so they survive silo restarts), unless
    /// this is turned off to configure other providers.
    /// </summary>
    public bool UseSharedMemoryProviders { get; set; } = true;

    public MemoryGrainStorage SharedStorage { get; } = new();

    public MemoryReminderTable SharedReminders { get; } = new();

    /// <summary>
    /// The silos form a cluster: they keep a shared membership table, place grains on the ring of active silos and
    /// call each other over an in-process network. Off (the default): each silo places every grain on itself.
    /// </summary>
    public bool UseClustering { get; set; }

    /// <summary>With <see cref="UseClustering"/>, the silos call each other over TCP on loopback instead of the in-process network.</summary>
    public bool UseTcpTransport { get; set; }

    public MemoryMembershipTable SharedMembership { get; } = new();

    public InProcessNetwork Network { get; } = new();

    /// <summary>Every silo tells this probe when it has handled a reminder tick.</summary>
    public ReminderTickProbe ReminderTicks { get; } = new();

    public TestClusterBuilder AddGrains(Assembly assembly)
    {
        GrainAssemblies.Add(assembly);
        return this;
    }

    public TestClusterBuilder ConfigureSilo(Action<ISiloBuilder> configure)
    {
        SiloConfigurations.Add(configure);
        return this;
    }

    public TestClusterBuilder ConfigureServices(Action<IServiceCollection> configure)
    {
        ServiceConfigurations.Add(configure);
        return this;
    }

    /// <summary>Sets a configuration key, for example <c>Reminders:MinimumPeriod</c>.</summary>
    public TestClusterBuilder Configure(string key, string? value)
    {
        Configuration[key] = value;
        return this;
    }
}
