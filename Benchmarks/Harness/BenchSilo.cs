using Granary.Benchmarks.Grains;
using Granary.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Benchmarks.Harness;

/// <summary>A silo in this process, hosted as an application would host it: real clock, logging off.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dataFolder;

    private BenchSilo(IHost host, string dataFolder)
    {
        _host = host;
        _dataFolder = dataFolder;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchSilo> StartAsync(Scenario scenario)
    {
        var dataFolder = Directory.CreateTempSubdirectory("granary-bench-").FullName;
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
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
