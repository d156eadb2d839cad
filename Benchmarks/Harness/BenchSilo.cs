using Granary.Benchmarks.Grains;
using Granary.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Benchmarks.Harness;

/// <summary>
/// A silo in this process, hosted as an application would host it: real clock, logging off. For a scenario that runs
/// without a silo (a baseline), only the point's data folder.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost? _host;

    private BenchSilo(IHost? host, string dataFolder)
    {
        _host = host;
        DataFolder = dataFolder;
    }

    /// <summary>The point's temporary folder, deleted with the silo.</summary>
    public string DataFolder { get; }

    public IGrainFactory Grains => _host?.Services.GetRequiredService<IGrainFactory>() ?? NoSilo.Instance;

    public static async Task<BenchSilo> StartAsync(Scenario scenario)
    {
        var dataFolder = Directory.CreateTempSubdirectory("granary-bench-").FullName;
        if (!scenario.UsesSilo) return new BenchSilo(null, dataFolder);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark" });
        builder.Logging.ClearProviders();
        builder.UseGranary(silo =>
        {
            silo.AddGrains(typeof(BenchGrain).Assembly);
            scenario.ConfigureSilo(silo, dataFolder);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host, dataFolder);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_host is not null) await _host.StopAsync();
        }
        finally
        {
            _host?.Dispose();
            Directory.Delete(DataFolder, recursive: true);
        }
    }

    /// <summary>The grains of a point without a silo: there are none.</summary>
    private sealed class NoSilo : IGrainFactory
    {
        public static readonly NoSilo Instance = new();

        public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey => throw NoGrains();

        public TGrainInterface GetGrain<TGrainInterface>(Guid key) where TGrainInterface : IGrainWithGuidKey => throw NoGrains();

        public TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey => throw NoGrains();

        public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw NoGrains();

        private static InvalidOperationException NoGrains() =>
            new("This scenario runs without a silo (Scenario.UsesSilo is false): it has no grains.");
    }
}
