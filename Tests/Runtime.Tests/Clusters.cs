using Granary.Tests.Grains;
using Granary.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests;

internal static class Clusters
{
    /// <summary>A cluster of the test grains, on a manual clock, with a probe the grains signal.</summary>
    public static Task<TestCluster> StartAsync(Probe probe, Action<TestClusterBuilder>? configure = null) =>
        TestCluster.StartAsync(builder =>
        {
            builder.AddGrains(typeof(CounterGrain).Assembly);
            builder.ConfigureServices(services => services.AddSingleton(probe));
            configure?.Invoke(builder);
        });
}
